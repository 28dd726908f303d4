package grammar

import (
	"fmt"
	"path/filepath"
	"testing"
)

// TestEveryRecordHasItsTime checks that no render of a real capture loses
// a packet's timestamp: with -e -v the link header and the IP header share
// the first line, and tunnels under -v print the inner packet two or three
// lines down; the record must still begin with the time.
func TestEveryRecordHasItsTime(t *testing.T) {
	all, _ := filepath.Glob("../testdata/captures/*/*.txt")
	// the default tier samples; the shapes this test is about (-e -v, the
	// tunnels under -v) are always checked
	renders := sample(t, "capture renders", all, 6, "+e+v", "ipip-", "/gre/", "/mpls/", "/pppoe/")
	renders = append(renders, "../testdata/renders/e_v_notime.txt")
	checked := 0
	for _, path := range renders {
		for _, r := range scanFile(t, path) {
			if !r.tcp {
				continue
			}
			if r.pkt.TimeKind == NoTime {
				t.Errorf("%s:%d: no timestamp: %q", path, r.line, r.raw)
				break
			}
			checked++
		}
	}
	t.Logf("%d records have their time", checked)
}

func firstTCP(t *testing.T, path string, later bool) *Packet {
	t.Helper()
	for _, r := range scanFile(t, path) {
		if r.tcp && r.pkt.Frag.Later == later {
			p := r.pkt
			return &p
		}
	}
	t.Fatalf("%s: no such record", path)
	return nil
}

func want(what string, got, exp interface{}) string {
	if got != exp {
		return fmt.Sprintf("%s: got %v, want %v", what, got, exp)
	}
	return ""
}

// TestShapes checks the fields of the less common shapes (issue 22): IPv6
// extension headers, tunnels and fragments, in the real captures' renders.
func TestShapes(t *testing.T) {
	cases := []struct {
		file  string
		later bool
		check func(p *Packet) []string
	}{
		{"captures/ipv6-dstopt/nn+S.txt", false, func(p *Packet) []string {
			return []string{want("ext", p.Str(p.Ext), "DSTOPT "), want("src host", p.Str(p.Src.Host), "::1"),
				want("dport", p.Dst.PortNum, int32(6851)), want("version", p.IPVersion, uint8(6)), want("flags", p.Flags, SYN)}
		}},
		{"captures/ipv6-dstopt/nn+S+v.txt", false, func(p *Packet) []string {
			return []string{want("ext", p.Str(p.Ext), "DSTOPT (padn) "), want("hlim", p.IP.TTL, int32(64)), want("dport", p.Dst.PortNum, int32(6851))}
		}},
		{"captures/ipv6-hbh-dstopt/nn.txt", false, func(p *Packet) []string {
			return []string{want("ext", p.Str(p.Ext), "HBH DSTOPT "), want("dport", p.Dst.PortNum, int32(6852))}
		}},
		{"captures/ipv6-hbh-dstopt/nn+S+vv.txt", false, func(p *Packet) []string {
			return []string{want("ext", p.Str(p.Ext), "HBH (padn) DSTOPT (padn) "), want("dport", p.Dst.PortNum, int32(6852))}
		}},
		{"captures/ipv6-dstopt/default.txt", false, func(p *Packet) []string {
			return []string{want("dport", p.Dst.PortNum, int32(6851))}
		}},
		{"captures/ipip-4in4/nn+S.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelIPIP), want("outer src", p.Str(p.Tunnel.Src), "10.22.0.1"),
				want("outer dst", p.Str(p.Tunnel.Dst), "10.22.0.2"), want("src", p.Str(p.Src.Host), "127.0.0.1"),
				want("dport", p.Dst.PortNum, int32(6855)), want("version", p.IPVersion, uint8(4))}
		}},
		{"captures/ipip-4in4/nn+S+v.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelIPIP), want("outer ip", p.Tunnel.IP.Present, true),
				want("outer id", p.Tunnel.IP.ID, int32(1)), want("outer len", p.Tunnel.IP.Length, int32(80)),
				want("inner len", p.IP.Length, int32(60)), want("inner DF", p.IP.DF, true), want("dport", p.Dst.PortNum, int32(6855))}
		}},
		{"captures/ipip-4in4/nn+S+e+v.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelIPIP), want("outer len", p.Tunnel.IP.Length, int32(80)), want("inner len", p.IP.Length, int32(60))}
		}},
		{"captures/ipip-4in4/nn+S+e.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelIPIP), want("src", p.Str(p.Src.Host), "127.0.0.1")}
		}},
		{"captures/ipip-6in4/nn+S.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, Tunnel6in4), want("src", p.Str(p.Src.Host), "::1"), want("version", p.IPVersion, uint8(6))}
		}},
		{"captures/ipip-6in4/nn+S+e+v.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, Tunnel6in4), want("version", p.IPVersion, uint8(6)), want("outer len", p.Tunnel.IP.Length, int32(100))}
		}},
		{"captures/gre/nn+S+v.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelGRE), want("text", p.Str(p.Tunnel.Text), "GREv0, Flags [none], length 64"),
				want("outer len", p.Tunnel.IP.Length, int32(84)), want("inner len", p.IP.Length, int32(60))}
		}},
		{"captures/gre/nn+S.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelGRE), want("outer src", p.Str(p.Tunnel.Src), "10.22.0.1")}
		}},
		{"captures/mpls/nn+S+v.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelMPLS), want("text", p.Str(p.Tunnel.Text), "MPLS (label 22, tc 0, [S], ttl 64)"), want("inner len", p.IP.Length, int32(60))}
		}},
		{"captures/pppoe/nn+S+e+v.txt", false, func(p *Packet) []string {
			return []string{want("tunnel", p.Tunnel.Kind, TunnelPPPoE), want("text", p.Str(p.Tunnel.Text), "PPPoE  [ses 0x22]"), want("inner len", p.IP.Length, int32(60))}
		}},
		{"captures/ipv6-frag/nn.txt", true, func(p *Packet) []string {
			return []string{want("later", p.Frag.Later, true), want("offset", p.Frag.Offset, int32(552)), want("len", p.Frag.Len, int32(552)),
				want("text", p.Str(p.Frag.Text), "frag (552|552)"), want("src", p.Str(p.Src.Host), "::1"), want("version", p.IPVersion, uint8(6))}
		}},
		{"captures/ipv6-frag/nn+S+v.txt", true, func(p *Packet) []string {
			return []string{want("offset", p.Frag.Offset, int32(552)), want("id", p.Frag.ID, int64(0x2203))}
		}},
		{"captures/ipv4-frag/nn.txt", true, func(p *Packet) []string {
			return []string{want("text", p.Str(p.Frag.Text), "ip-proto-6"), want("src", p.Str(p.Src.Host), "10.22.1.1"),
				want("dst", p.Str(p.Dst.Host), "10.22.2.2"), want("offset", p.Frag.Offset, int32(-1)), want("version", p.IPVersion, uint8(4))}
		}},
		{"captures/ipv4-frag/default.txt", true, func(p *Packet) []string {
			return []string{want("text", p.Str(p.Frag.Text), "tcp")}
		}},
		{"captures/ipv4-frag/nn+S+v.txt", true, func(p *Packet) []string {
			return []string{want("offset", p.Frag.Offset, int32(576)), want("len", p.Frag.Len, int32(576)), want("more", p.Frag.More, int8(1))}
		}},
	}
	for _, c := range cases {
		p := firstTCP(t, filepath.Join("../testdata", c.file), c.later)
		for _, msg := range c.check(p) {
			if msg != "" {
				t.Errorf("%s: %s", c.file, msg)
			}
		}
	}
}

// TestFirstFragments checks what the first fragment of a segment says of
// itself: IPv6's fragment header among the extension headers, IPv4's -v
// header with `flags [+]`.
func TestFirstFragments(t *testing.T) {
	n := 0
	for _, r := range scanFile(t, "../testdata/captures/ipv6-frag/nn+S.txt") {
		if r.tcp && r.pkt.Frag.Present && !r.pkt.Frag.Later {
			p := &r.pkt
			if p.Frag.Offset != 0 || p.Frag.Len != 552 || p.Str(p.Ext) != "frag (0|552) " || p.Len != 520 {
				t.Errorf("ipv6 first fragment: %+v ext %q len %d", p.Frag, p.Str(p.Ext), p.Len)
			}
			n++
		}
	}
	for _, r := range scanFile(t, "../testdata/captures/ipv4-frag/nn+S+vv.txt") {
		if r.tcp && r.pkt.Frag.Present && !r.pkt.Frag.Later {
			p := &r.pkt
			if p.Frag.Offset != 0 || p.Frag.More != 1 || p.Frag.Len != 576 {
				t.Errorf("ipv4 first fragment: %+v", p.Frag)
			}
			n++
		}
	}
	if n != 5 { // two IPv6 segments, three IPv4 ones
		t.Errorf("%d first fragments, want 5", n)
	}
}

// TestTimeForms checks how each timestamp form is read: -ttttt's offsets
// (decided from the first lines), -ttt's deltas, -# -ttt (a delta after
// the packet number, not a time of day), -tt's epochs, -tttt's dates.
func TestTimeForms(t *testing.T) {
	cases := []struct {
		render string
		kind   TimeKind
	}{
		{"nn+S+ttttt", OffsetTime},
		{"nn+S+ttt", DeltaTime},
		{"nn+S+number+ttt", DeltaTime},
		{"nn+S+tt", EpochTime},
		{"nn+S+tttt", DateTime},
		{"nn+S", ClockTime},
		{"nn+S+number", ClockTime},
		{"nn+S+e+v", ClockTime},
	}
	for _, capture := range []string{"ipv6-dstopt", "ipv4-frag", "keepalive", "delayed-ack"} {
		for _, c := range cases {
			path := filepath.Join("../testdata/captures", capture, c.render+".txt")
			n := 0
			for _, r := range scanFile(t, path) {
				if r.tcp && r.pkt.TimeKind != c.kind {
					t.Errorf("%s:%d: time %v, want %v", path, r.line, r.pkt.TimeKind, c.kind)
					break
				}
				n++
			}
			if n == 0 {
				t.Errorf("%s: no records", path)
			}
		}
	}
	// Too few lines to tell: the common reading, deltas.
	for _, r := range scanFile(t, "../testdata/captures/syn-retry-exponential/nn+S+ttttt.txt") {
		if r.tcp && r.pkt.TimeKind != DeltaTime {
			t.Errorf("syn-retry-exponential -ttttt: %v, want the default reading (delta)", r.pkt.TimeKind)
		}
	}
}

// TestDecideTimeForm checks the rule on its own.
func TestDecideTimeForm(t *testing.T) {
	mk := func(us ...string) []line {
		var out []line
		for _, u := range us {
			out = append(out, line{text: []byte(" 00:00:" + u + " IP x")})
		}
		return out
	}
	for _, c := range []struct {
		ahead []line
		want  timeForm
	}{
		{mk("00.000019", "00.000017"), formDeltas},                                         // a decrease
		{mk("00.000019", "00.000036", "00.000059", "00.001000", "00.002000"), formOffsets}, // five that grow
		{mk("01.000000", "02.000000", "04.000000"), formDeltas},                            // too few
		{mk("00.000000", "00.000000", "00.000000", "00.000000", "00.000000"), formDeltas},  // none grew
	} {
		if got := decideTimeForm(0, c.ahead); got != c.want {
			t.Errorf("%q…: %v, want %v", c.ahead[0].text, got, c.want)
		}
	}
	if v, ok := deltaTimeOf([]byte("    1   00:00:01.500000 IP x")); !ok || v != 1_500_000 {
		t.Errorf("-# -ttt: %d %v", v, ok)
	}
	if _, ok := deltaTimeOf([]byte("    1  00:00:01.500000 IP x")); ok {
		t.Errorf("-# with a time of day read as a delta")
	}
}

// TestMD5OptionIsOne checks that tcpdump's `md5 shared secret not supplied
// with -M, can't check - …` is one option, though its text has a comma.
func TestMD5OptionIsOne(t *testing.T) {
	var p Packet
	line := []byte("IP 10.0.0.1.179 > 10.0.0.2.1024: Flags [S], seq 1, win 1, options [md5 shared secret not supplied with -M, can't check - 000102030405060708090a0b0c0d0e0f,eol], length 0")
	if !(&Parser{}).Parse(line, &p) {
		t.Fatal("not parsed")
	}
	if len(p.Options) != 2 || p.Options[0].Kind != OptMD5 || p.Options[1].Kind != OptEOL {
		t.Fatalf("options %+v", p.Options)
	}
	if got := p.Str(p.Options[0].Text); got != "md5 shared secret not supplied with -M, can't check - 000102030405060708090a0b0c0d0e0f" {
		t.Errorf("md5 text %q", got)
	}
}
