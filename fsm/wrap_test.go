package fsm

import (
	"strings"
	"testing"
)

// TestSequenceWrap reads a connection whose server ISN is 115 below 2^32,
// so its data wraps past 2^32 in mid-transfer (testdata/wrap, made by
// make.sh with scripts/genpcap and rendered by tcpdump). The handshake,
// the data and the close must read as for any connection: no loss, no
// unseen acks, no retransmission, whether tcpdump printed -S or not.
func TestSequenceWrap(t *testing.T) {
	var ref []view
	for _, render := range []string{"nn+S", "nn", "nn+S+v"} {
		views, conns := analyseFile(t, "../testdata/wrap/"+render+".txt")
		var all []string
		for _, v := range views {
			all = append(all, v.codes)
		}
		got := strings.Join(all, " | ")
		for _, bad := range []string{"lost_segment", "acked_unseen", "retransmission", "out_of_order", "dup_ack", "lint."} {
			if strings.Contains(got, bad) {
				t.Errorf("%s: %s across the wrap: %s", render, bad, got)
			}
		}
		for _, want := range []string{"handshake.syn", "handshake.synack", "handshake.ack", "data", "close.fin", "close.fin_merged", "close.final_ack"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: no %s: %s", render, want, got)
			}
		}
		if len(conns) != 1 || conns[0].Summary().ConnState != "SF" || conns[0].Summary().Bytes[Server] != 2478 {
			t.Errorf("%s: summary %+v", render, conns[0].Summary())
		}
		if ref == nil {
			ref = views
		} else if len(views) != len(ref) {
			t.Errorf("%s: %d records, nn+S has %d", render, len(views), len(ref))
		} else {
			for i := range views {
				if views[i] != ref[i] {
					t.Errorf("%s: packet %d: %v, nn+S: %v", render, i+1, views[i], ref[i])
				}
			}
		}
	}
}
