package fsm

import (
	"bytes"
	"os"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

// loadPackets parses a real capture (200 interleaved connections, 2000
// packets) once, so the benchmark measures the state machine alone.
func loadPackets(b testing.TB) []grammar.Packet {
	data, err := os.ReadFile("../testdata/captures/interleaved-200/nn+S.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := grammar.NewScanner(bytes.NewReader(data))
	var pkts []grammar.Packet
	for s.Scan() {
		r := s.Record()
		if r.Kind != grammar.TCP {
			continue
		}
		p := r.Packet
		p.Raw = append([]byte(nil), r.Raw...)
		p.Options = append([]grammar.Option(nil), r.Packet.Options...)
		pkts = append(pkts, p)
	}
	return pkts
}

// BenchmarkTracker measures Tracker.Process per packet.
func BenchmarkTracker(b *testing.B) {
	pkts := loadPackets(b)
	b.ReportAllocs()
	b.ResetTimer()
	tr := NewTracker()
	for i := 0; i < b.N; i++ {
		if i%len(pkts) == 0 {
			tr = NewTracker()
		}
		tr.Process(&pkts[i%len(pkts)], i)
		tr.Due()
	}
}
