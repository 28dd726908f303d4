package grammar

import (
	"bytes"
	"strings"
	"testing"
)

// TestLineCeiling: a line longer than MaxLineBytes comes out in pieces of
// MaxLineBytes, none of them a segment, each but the last continued by the
// next, and together exactly the input; the Scanner's buffers stay within
// a small multiple of the ceiling (20 MB of NUL bytes with no newline held
// 5.7 GB before); the line after it is read as usual.
func TestLineCeiling(t *testing.T) {
	seg := "10:00:00.000000 IP 1.1.1.1.1 > 2.2.2.2.2: Flags [S], seq 1, win 1, length 0"
	for name, long := range map[string]string{
		"nul":         strings.Repeat("\x00", 3*MaxLineBytes+MaxLineBytes/2),
		"segment-ish": seg + strings.Repeat(" x", MaxLineBytes) + "\n" + seg,
		"exact":       strings.Repeat("y", MaxLineBytes),
	} {
		in := long + "\n" + seg + "\n"
		s := NewScanner(strings.NewReader(in))
		var out bytes.Buffer
		var kinds []string
		for s.Scan() {
			r := s.Record()
			out.Write(r.Raw)
			out.WriteString(r.EOL)
			k := "other"
			if r.Kind == TCP {
				k = "tcp"
			}
			if r.Continues {
				k += "+"
				if r.EOL != "" {
					t.Errorf("%s: a continued piece has an ending", name)
				}
			}
			if len(r.Raw) > MaxLineBytes {
				t.Errorf("%s: a record of %d bytes", name, len(r.Raw))
			}
			kinds = append(kinds, k)
			if c := cap(s.cur) + cap(s.own) + cap(s.join); c > 4*MaxLineBytes {
				t.Errorf("%s: the Scanner holds %d bytes", name, c)
			}
		}
		if out.String() != in {
			t.Errorf("%s: the records do not give back the input", name)
		}
		got := strings.Join(kinds, " ")
		want := map[string]string{
			"nul":         "other+ other+ other+ other tcp",
			"segment-ish": "other+ other+ other tcp tcp", // 2 MiB and a bit, then the last line
			"exact":       "other+ other tcp",            // the piece, then its bare ending
		}[name]
		if got != want {
			t.Errorf("%s: records %s, want %s", name, got, want)
		}
	}
}
