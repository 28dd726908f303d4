package grammar

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestScanIntoMatchesScan reads every test input with Scan and with
// ScanInto, the latter into a ring of records that already hold other
// records (with their own options): each record made in place equals the
// one Scan makes. Nothing of a record may carry over to the next one made
// elsewhere, and nothing the slot held before may show through.
func TestScanIntoMatchesScan(t *testing.T) {
	var inputs [][]byte
	filepath.Walk("../testdata", func(path string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Ext(path) != ".txt" || info.Size() > 1<<20 {
			return nil
		}
		data, _ := os.ReadFile(path)
		inputs = append(inputs, data)
		return nil
	})
	if len(inputs) < 10 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	// slots start full of a render's records, options and all
	var ring [3]Record
	seed := NewScanner(bytes.NewReader(benchInput(t)))
	for i := range ring {
		if !seed.Scan() {
			t.Fatal("no seed record")
		}
		ring[i] = *seed.Record()
		ring[i].Packet.Options = append([]Option(nil), ring[i].Packet.Options...)
		ring[i].Continues, ring[i].Part, ring[i].Parts, ring[i].Unpaired, ring[i].Quote = true, 3, 7, true, 2
	}
	records := 0
	for _, data := range inputs {
		a := NewScanner(bytes.NewReader(data))
		b := NewScanner(bytes.NewReader(data))
		for k := 0; ; k++ {
			okA := a.Scan()
			r := &ring[k%len(ring)]
			okB := b.ScanInto(r)
			if okA != okB {
				t.Fatalf("record %d: Scan %v, ScanInto %v", k, okA, okB)
			}
			if !okA {
				break
			}
			records++
			if b.Record() != r {
				t.Fatalf("record %d: Record is not ScanInto's", k)
			}
			if msg := recordDiff(a.Record(), r); msg != "" {
				t.Fatalf("record %d (%q): %s", k, a.Record().Raw, msg)
			}
		}
	}
	t.Logf("%d records", records)
}

// recordDiff says how two records differ ("" when they do not): their
// fields, and the Packet too when they are segments.
func recordDiff(a, b *Record) string {
	if !bytes.Equal(a.Raw, b.Raw) || a.Line != b.Line || a.EOL != b.EOL || a.Continues != b.Continues ||
		a.Kind != b.Kind || a.Unread != b.Unread || a.Part != b.Part || a.Parts != b.Parts ||
		a.Unpaired != b.Unpaired || a.Quote != b.Quote {
		return "record fields differ"
	}
	if a.Kind != TCP {
		return ""
	}
	pa, pb := a.Packet, b.Packet
	if !bytes.Equal(pa.Raw, pb.Raw) {
		return "Packet.Raw differs"
	}
	if len(pa.Options) != len(pb.Options) || len(pa.Options) > 0 && !reflect.DeepEqual(pa.Options, pb.Options) {
		return "options differ"
	}
	pa.Raw, pb.Raw, pa.Options, pb.Options = nil, nil, nil, nil
	if !reflect.DeepEqual(pa, pb) {
		return "packets differ"
	}
	return ""
}

// TestIndexRare checks indexRare against bytes.Index.
func TestIndexRare(t *testing.T) {
	for _, c := range []struct{ s, sep string }{
		{"", "(tos "}, {"(tos ", "(tos "}, {"IP (tos 0x0, ttl 64)", "(tos "}, {"((tos ", "(tos "},
		{"(to", "(tos "}, {"(tos", "(tos "}, {"a (b (tos c", "(tos "}, {"xx(", "(tos "}, {"aab", "ab"},
	} {
		if got, want := indexRare([]byte(c.s), c.sep), bytes.Index([]byte(c.s), []byte(c.sep)); got != want {
			t.Errorf("indexRare(%q, %q) = %d, want %d", c.s, c.sep, got, want)
		}
	}
}
