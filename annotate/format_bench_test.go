package annotate

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// benchRecords reads a real capture's -nn -S render into records that own
// their bytes: 200 interleaved connections, 2,000 packets.
func benchRecords(b *testing.B) []grammar.Record {
	data, err := os.ReadFile("../testdata/captures/interleaved-200/nn+S.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := grammar.NewScanner(bytes.NewReader(data))
	var recs []grammar.Record
	for s.Scan() {
		r := *s.Record()
		r.Raw = append([]byte(nil), r.Raw...)
		r.Packet.Raw = r.Raw
		r.Packet.Options = append([]grammar.Option(nil), r.Packet.Options...)
		recs = append(recs, r)
	}
	return recs
}

// benchFormat runs the tracker and one formatter over the records, one
// pass per op; ns/record is the figure to hold against tcpdump's ~1 µs a
// line. With format "" it runs the tracker alone, which the formatters'
// figures include.
func benchFormat(b *testing.B, format string) {
	recs := benchRecords(b)
	w := bufio.NewWriterSize(io.Discard, 64<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t := fsm.NewTracker()
		var f Formatter
		if format != "" {
			f, _ = New(format, w, Options{Lang: English})
		}
		for k := range recs {
			var res *fsm.Result
			if recs[k].Kind == grammar.TCP {
				res = t.Process(&recs[k].Packet, recs[k].Line)
			}
			if f != nil {
				if err := f.Record(&recs[k], res); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}

// BenchmarkTrackOnly: the connection tracker alone.
func BenchmarkTrackOnly(b *testing.B) { benchFormat(b, "") }

// BenchmarkFormatText: the tracker and the default text output.
func BenchmarkFormatText(b *testing.B) { benchFormat(b, "text") }

// BenchmarkFormatJSON: the tracker and JSON Lines.
func BenchmarkFormatJSON(b *testing.B) { benchFormat(b, "json") }

// TestPlainWord checks the word-at-a-time test against the byte-wise one:
// every byte value in every position of a plain word, and random words.
func TestPlainWord(t *testing.T) {
	plain := func(w [8]byte) bool {
		for _, c := range w {
			if c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
				return false
			}
		}
		return true
	}
	check := func(w [8]byte) {
		if got := plainWord(binary.LittleEndian.Uint64(w[:])); got != plain(w) {
			t.Fatalf("plainWord(%q) = %v", w[:], got)
		}
	}
	for pos := 0; pos < 8; pos++ {
		for c := 0; c < 256; c++ {
			w := [8]byte{'a', 'b', ' ', '~', '!', '#', '[', ']'}
			w[pos] = byte(c)
			check(w)
		}
	}
	x := uint64(0x9e3779b97f4a7c15)
	for i := 0; i < 1_000_000; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], x&0x7f7f7f7f7f7f7f7f) // mostly ASCII
		check(w)
		binary.LittleEndian.PutUint64(w[:], x)
		check(w)
	}
}

// refString is appendString written byte by byte, without the word-at-a-
// time step, as the reference for TestAppendString.
func refString(s []byte) (string, bool) {
	const hex = "0123456789abcdef"
	out := []byte{'"'}
	valid := true
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				out = append(out, '\\', c)
			case c == '\n':
				out = append(out, '\\', 'n')
			case c == '\r':
				out = append(out, '\\', 'r')
			case c == '\t':
				out = append(out, '\\', 't')
			case c < 0x20 || c == 0x7f:
				out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
			default:
				out = append(out, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			valid = false
			out = append(out, "\ufffd"...)
		case r == '\u2028' || r == '\u2029':
			out = append(out, '\\', 'u', '2', '0', '2', hex[r&15])
		default:
			out = append(out, s[i:i+size]...)
		}
		i += size
	}
	return string(append(out, '"')), valid
}

// TestAppendString: the JSON string writer against the reference on
// random text around every length and alignment, mostly plain ASCII with
// quotes, controls, UTF-8 and broken UTF-8 mixed in.
func TestAppendString(t *testing.T) {
	pieces := []string{"a", "Z", " ", "~", "\"", "\\", "\n", "\t", "\x00", "\x1f", "\x7f", "é", "×", "\u2028", "\u2029", "\ufffd", "\xff", "\xc3", "\xe2\x80", "abcdefgh"}
	x := uint64(0x9e3779b97f4a7c15)
	next := func(n int) int {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		return int(x % uint64(n))
	}
	for it := 0; it < 200_000; it++ {
		var s []byte
		for n := next(40); n > 0; n-- {
			if next(4) == 0 {
				s = append(s, pieces[next(len(pieces))]...)
			} else {
				s = append(s, byte('a'+next(26)))
			}
		}
		want, wantValid := refString(s)
		got, valid := appendStringValid([]byte("x"), s)
		if string(got[1:]) != want || valid != wantValid || valid != utf8.Valid(s) {
			t.Fatalf("%q: got %s (valid %v), want %s (valid %v)", s, got[1:], valid, want, wantValid)
		}
	}
}
