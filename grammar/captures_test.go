package grammar

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tsharkPacket is what tshark says of one frame of a capture.
type tsharkPacket struct {
	flags         Flags
	seq, ack, win uint32
	len           uint32
}

// tsharkFlagBits maps the positions of tshark's tcp.flags.str
// ("·······AP···") to flags: reserved ×3, AE, CWR, ECE, URG, ACK, PSH, RST,
// SYN, FIN.
var tsharkFlagBits = [12]Flags{0, 0, 0, AE, CWR, ECE, URG, ACK, PSH, RST, SYN, FIN}

func readTsharkPackets(t *testing.T, path string) []tsharkPacket {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	col := map[string]int{}
	var out []tsharkPacket
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(col) == 0 {
			for i, c := range fs {
				col[c] = i
			}
			continue
		}
		num := func(name string) uint32 {
			v, _ := strconv.ParseUint(fs[col[name]], 10, 32)
			return uint32(v)
		}
		var p tsharkPacket
		for i, r := range []rune(fs[col["tcp.flags.str"]]) {
			if r != '·' && i < len(tsharkFlagBits) {
				p.flags |= tsharkFlagBits[i]
			}
		}
		p.seq, p.ack, p.win, p.len = num("tcp.seq_raw"), num("tcp.ack_raw"), num("tcp.window_size_value"), num("tcp.len")
		out = append(out, p)
	}
	return out
}

// TestCapturesAgreeWithTshark checks every render of every real capture
// against tshark's reading of the pcap: one TCP record per packet, with
// the same flags, payload length and window, and, where tcpdump printed
// absolute numbers (-S, and the SYNs of any render), the same seq and ack.
func TestCapturesAgreeWithTshark(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/captures/*/tshark.tsv")
	if len(dirs) == 0 {
		t.Fatal("no captures")
	}
	checked, fields := 0, 0
	all, _ := filepath.Glob("../testdata/captures/*/*.txt")
	sampled := sampleSet(t, "capture renders", all, 6)
	for _, tsv := range dirs {
		dir := filepath.Dir(tsv)
		want := readTsharkPackets(t, tsv)
		renders, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, path := range renders {
			if !sampled[path] {
				continue
			}
			name := filepath.Base(dir) + "/" + filepath.Base(path)
			var got []rec
			for _, r := range scanFile(t, path) {
				if r.tcp {
					got = append(got, r)
				}
			}
			if len(got) != len(want) {
				t.Errorf("%s: %d TCP records, tshark has %d packets", name, len(got), len(want))
				continue
			}
			flags := map[string]bool{}
			for _, f := range strings.Split(strings.TrimSuffix(filepath.Base(path), ".txt"), "+") {
				flags[f] = true
			}
			absolute := flags["S"]
			for i := range got {
				p, w := &got[i].pkt, want[i]
				if p.Len != w.len {
					t.Errorf("%s: packet %d: len %d, tshark %d", name, i+1, p.Len, w.len)
				}
				fields++
				if flags["q"] {
					continue // -q prints the length only
				}
				if p.Flags != w.flags {
					t.Errorf("%s: packet %d: flags %v, tshark %v", name, i+1, p.Flags.Names(), w.flags.Names())
				}
				if !p.HasWin || p.Win != w.win {
					t.Errorf("%s: packet %d: win %d, tshark %d", name, i+1, p.Win, w.win)
				}
				fields += 2
				raw := absolute || !p.Flags.Has(ACK) // tcpdump rebases only ACK-bearing segments
				if raw && p.HasSeq {
					if p.Seq != w.seq {
						t.Errorf("%s: packet %d: seq %d, tshark %d", name, i+1, p.Seq, w.seq)
					}
					fields++
				}
				if raw && p.HasAck {
					if p.Ack != w.ack {
						t.Errorf("%s: packet %d: ack %d, tshark %d", name, i+1, p.Ack, w.ack)
					}
					fields++
				}
			}
			checked++
		}
	}
	t.Logf("%d renders of %d captures: %d fields agree with tshark", checked, len(dirs), fields)
}
