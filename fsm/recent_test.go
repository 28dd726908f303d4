package fsm

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// TestRecentAgrees runs every render of every capture through a Tracker
// that finds connections in its cache (recent.go) and one whose cache
// always misses (the key and the map, as before the cache), in lockstep,
// and compares what they say field for field: each Result, the
// connections due after each packet, and the summaries at the end. A
// small MaxConns runs them again with evictions and tombs on every few
// packets, where the cache's slots must follow the table.
func TestRecentAgrees(t *testing.T) {
	var paths []string
	err := filepath.WalkDir(capturesDir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && filepath.Ext(path) == ".txt" {
			paths = append(paths, path)
		}
		return err
	})
	if err != nil || len(paths) == 0 {
		t.Fatalf("no renders in %s: %v", capturesDir, err)
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, maxConns := range []int{DefaultMaxConns, 2} {
			if !recentAgrees(t, path, data, maxConns) {
				break
			}
		}
	}
}

// recentAgrees runs one render through both Trackers; it reports false
// after the first difference, which it reports.
func recentAgrees(t *testing.T, path string, data []byte, maxConns int) bool {
	t.Helper()
	fast, slow := NewTracker(), NewTracker()
	fast.MaxConns, slow.MaxConns = maxConns, maxConns
	slow.noRecent = true
	s := grammar.NewScanner(bytes.NewReader(data))
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		a := fast.Process(&r.Packet, r.Line)
		var ra Result
		if a != nil {
			ra = *a // the Result lives in fast: a copy, to be sure slow changes nothing of it
			ra.Events = append([]Event(nil), a.Events...)
		}
		b := slow.Process(&r.Packet, r.Line)
		if (a == nil) != (b == nil) {
			t.Errorf("%s (max %d) line %d: a Result with the cache: %v, without: %v", path, maxConns, r.Line, a != nil, b != nil)
			return false
		}
		if a != nil {
			if msg := sameResult(&ra, b); msg != "" {
				t.Errorf("%s (max %d) line %d: %s", path, maxConns, r.Line, msg)
				return false
			}
		}
		if msg := sameConns(fast.Due(), slow.Due()); msg != "" {
			t.Errorf("%s (max %d) line %d: due: %s", path, maxConns, r.Line, msg)
			return false
		}
	}
	if msg := sameConns(fast.Flush(), slow.Flush()); msg != "" {
		t.Errorf("%s (max %d): flush: %s", path, maxConns, msg)
		return false
	}
	return true
}

// sameResult compares two Results field for field, their connections by
// their exported fields.
func sameResult(a, b *Result) string {
	if msg := sameConn(a.Conn, b.Conn); msg != "" {
		return msg
	}
	for _, e := range a.Events {
		// what emit's partial clear keeps: an event reads as a new one
		if !reflect.DeepEqual(e.Args[e.N:], make([]Arg, maxArgs-int(e.N))) {
			return fmt.Sprintf("%s holds arguments past its %d: %v", e.Code, e.N, e.Args)
		}
	}
	x, y := *a, *b
	x.Conn, y.Conn = nil, nil
	if len(x.Events) == 0 && len(y.Events) == 0 {
		x.Events, y.Events = nil, nil
	}
	if !reflect.DeepEqual(x, y) {
		return "with the cache " + fmtResult(&x) + ", without " + fmtResult(&y)
	}
	return ""
}

func fmtResult(r *Result) string { return fmt.Sprintf("%+v", *r) }

func reflectString(v any) string { return fmt.Sprintf("%+v", v) }

// sameConns compares two lists of connections and their summaries.
func sameConns(a, b []*Conn) string {
	if len(a) != len(b) {
		return "different counts"
	}
	for i := range a {
		if msg := sameConn(a[i], b[i]); msg != "" {
			return msg
		}
		if sa, sb := a[i].Summary(), b[i].Summary(); !reflect.DeepEqual(sa, sb) {
			return "summaries differ: " + reflectString(sa) + " and " + reflectString(sb)
		}
	}
	return ""
}

// sameConn compares two connections' exported fields.
func sameConn(a, b *Conn) string {
	if (a == nil) != (b == nil) {
		return "one connection is nil"
	}
	if a == nil {
		return ""
	}
	if a.ID != b.ID || a.Client != b.Client || a.Server != b.Server || a.Simultaneous != b.Simultaneous ||
		a.Midstream != b.Midstream || a.Self != b.Self || a.state != b.state {
		return "connections differ: " + reflectString(*a) + " and " + reflectString(*b)
	}
	return ""
}
