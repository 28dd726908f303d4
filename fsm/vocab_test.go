package fsm

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// TestVocabulary checks the tables themselves: every code and key has a
// unique name, a kind and a line of documentation, and no code declares more
// arguments than an event holds.
func TestVocabulary(t *testing.T) {
	names := map[string]Code{}
	for _, c := range Codes() {
		s := c.Spec()
		if s.Name == "" || s.Kind == 0 || s.Doc == "" {
			t.Errorf("code %d: name %q, kind %d, doc %q: all three are needed", c, s.Name, s.Kind, s.Doc)
		}
		if o, ok := names[s.Name]; ok {
			t.Errorf("codes %d and %d are both %q", o, c, s.Name)
		}
		names[s.Name] = c
		if len(s.Args) > maxArgs {
			t.Errorf("%s declares %d arguments; an event holds %d", s.Name, len(s.Args), maxArgs)
		}
		seen := map[Key]bool{}
		for _, k := range s.Args {
			if seen[k] {
				t.Errorf("%s declares %s twice", s.Name, k)
			}
			seen[k] = true
		}
	}
	knames := map[string]bool{}
	for _, k := range Keys() {
		s := k.Spec()
		if s.Name == "" || s.Doc == "" || knames[s.Name] {
			t.Errorf("key %d: name %q (unique?), doc %q", k, s.Name, s.Doc)
		}
		knames[s.Name] = true
		if got, ok := KeyByName(s.Name); !ok || got != k {
			t.Errorf("KeyByName(%q) = %d, %v", s.Name, got, ok)
		}
	}
}

// TestEmittedArgsDeclared runs every trace in testdata through the tracker
// and checks that each event carries only the arguments its code declares:
// the declaration is the JSON contract.
func TestEmittedArgsDeclared(t *testing.T) {
	var files []string
	// the renders that differ in what the tracker sees: absolute and
	// relative numbers, quiet; plus pasted and damaged traces
	for _, pat := range []string{"../testdata/captures/*/nn+S.txt", "../testdata/captures/*/nn.txt", "../testdata/captures/*/nn+q.txt",
		"../testdata/corpus/seeds/*", "../testdata/damaged/*/*", "../testdata/wrap/*.txt", "../testdata/excerpts/*.txt"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no traces found")
	}
	files = sample(t, "traces", files, 4)
	seen := map[Code]bool{}
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s := grammar.NewScanner(f)
		tr := NewTracker()
		for s.Scan() {
			r := s.Record()
			if r.Kind != grammar.TCP {
				continue
			}
			res := tr.Process(&r.Packet, r.Line)
			if res == nil {
				continue // a later IP fragment of no segment in the trace
			}
			for i := range res.Events {
				e := &res.Events[i]
				seen[e.Code] = true
				for a := 0; a < int(e.N); a++ {
					if !declared(e.Code, e.Args[a].Key) {
						t.Errorf("%s:%d: %s carries %s, which it does not declare", path, r.Line, e.Code, e.Args[a].Key)
					}
				}
			}
		}
		f.Close()
	}
	t.Logf("%d traces, %d of %d codes seen", len(files), len(seen), NumCodes-1)
}

func declared(c Code, k Key) bool {
	for _, d := range c.Spec().Args {
		if d == k {
			return true
		}
	}
	return false
}

func TestBackoff(t *testing.T) {
	for _, c := range []struct {
		gap, prev int64
		want      Backoff
	}{
		{1000, 0, BackoffFirst}, {2000, 1000, BackoffDoubled}, {1100, 1000, BackoffLinear},
		{900, 1000, BackoffLinear}, {3000, 1000, BackoffIrregular}, {1500, 1000, BackoffIrregular},
	} {
		if got := backoff(c.gap, c.prev); got != c.want {
			t.Errorf("backoff(%d, %d) = %s, want %s", c.gap, c.prev, got, c.want)
		}
	}
}
