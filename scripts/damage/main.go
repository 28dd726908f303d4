// Command damage writes copies of real tcpdump traces damaged the way
// pasted traces are: line numbers, quote marks, prompts, comments, HTML
// entities, collapsed spaces, CRLF, hard wraps, no-break spaces. tcpnote
// must annotate each copy exactly as it annotates the clean trace
// (fsm/damage_test.go checks it).
//
//	go run ./scripts/damage            # rewrites testdata/damaged
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// bases are the clean traces, each a real capture's render.
var bases = map[string]string{
	"three-way-close":  "testdata/captures/three-way-close/nn+S.txt",
	"four-way-close":   "testdata/captures/four-way-close/nn.txt",
	"half-close-v":     "testdata/captures/half-close/nn+S+v.txt",
	"loss-sack":        "testdata/captures/loss-sack/nn.txt",
	"classic-3.9.8":    "testdata/corpus/rendered-versions/tcpdump-3.9.8/synth-ipv4-session.n.txt",
	"classic-3.7.2-v":  "testdata/corpus/rendered-versions/tcpdump-3.7.2/print-flags.n+v.txt",
	"hexdump-x":        "testdata/captures/three-way-close/nn+S+x.txt",
	"simultaneous-ttt": "testdata/captures/simultaneous-close/nn+S+tttt.txt",
}

// damage is one kind of damage, applied to the whole text.
type damage struct {
	name string
	fn   func(lines []string) []string
}

var tcpLine = regexp.MustCompile(` > \S+: `)

var damages = []damage{
	{"numbered", func(ls []string) []string { // `  5. ` as in a forum paste
		for i := range ls {
			ls[i] = fmt.Sprintf("%3d. %s", i+1, ls[i])
		}
		return ls
	}},
	{"colon-numbered", func(ls []string) []string { // `5: `
		for i := range ls {
			ls[i] = fmt.Sprintf("%d: %s", i+1, ls[i])
		}
		return ls
	}},
	{"quoted", func(ls []string) []string { // a Markdown or mail quote
		for i := range ls {
			ls[i] = "> " + ls[i]
		}
		return ls
	}},
	{"indented", func(ls []string) []string {
		for i := range ls {
			if i%2 == 0 {
				ls[i] = "\t" + ls[i]
			} else {
				ls[i] = "    " + ls[i]
			}
		}
		return ls
	}},
	{"prompt", func(ls []string) []string { // the command and tcpdump's banners
		out := []string{"user@host:~$ sudo tcpdump -i lo -nn port 6801", "[sudo] password for user:",
			"tcpdump: verbose output suppressed, use -v[v]... for full protocol decode",
			"listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes"}
		out = append(out, ls...)
		return append(out, "^C", fmt.Sprintf("%d packets captured", len(ls)), "user@host:~$ ")
	}},
	{"comments-after", func(ls []string) []string {
		notes := []string{"   -- 第一次握手", "  // 三次握手", "  # client", "  /* see RFC 9293 */", "\t<- here"}
		for i := range ls {
			if tcpLine.MatchString(ls[i]) {
				ls[i] += notes[i%len(notes)]
			}
		}
		return ls
	}},
	{"comments-between", func(ls []string) []string {
		var out []string
		for i, l := range ls {
			switch i % 4 {
			case 0:
				out = append(out, "--- handshakes")
			case 2:
				out = append(out, "# the server answers", "")
			}
			out = append(out, l)
		}
		return out
	}},
	{"br", func(ls []string) []string { // copied from HTML source
		for i := range ls {
			ls[i] += "<br>"
		}
		return ls
	}},
	{"entities", func(ls []string) []string { // HTML-escaped
		for i := range ls {
			l := strings.ReplaceAll(ls[i], "&", "&amp;")
			l = strings.ReplaceAll(l, "<", "&lt;")
			ls[i] = strings.ReplaceAll(l, ">", "&gt;")
		}
		return ls
	}},
	{"broken-brackets", func(ls []string) []string { // `<;mss 1460>` from a bad HTML converter
		for i := range ls {
			ls[i] = strings.ReplaceAll(ls[i], "<", "<;")
		}
		return ls
	}},
	{"collapsed-spaces", func(ls []string) []string {
		sp := regexp.MustCompile(`  +`)
		for i := range ls {
			ls[i] = sp.ReplaceAllString(ls[i], " ")
		}
		return ls
	}},
	{"nbsp", func(ls []string) []string { // &nbsp; rendered
		for i := range ls {
			ls[i] = strings.Replace(ls[i], " ", "\u00a0", 2)
		}
		return ls
	}},
	{"wrapped-72", func(ls []string) []string { return wrap(ls, 72) }},
	{"wrapped-80", func(ls []string) []string { return wrap(ls, 80) }},
}

// wrap breaks lines longer than width at the last space before it, as a
// mail client does; the continuation is not indented.
func wrap(ls []string, width int) []string {
	var out []string
	for _, l := range ls {
		for len(l) > width {
			cut := strings.LastIndexByte(l[:width], ' ')
			if cut <= 0 {
				break
			}
			out = append(out, l[:cut])
			l = l[cut+1:]
		}
		out = append(out, l)
	}
	return out
}

func main() {
	root := "testdata/damaged"
	os.RemoveAll(root)
	n := 0
	for name, path := range bases {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "damage:", err)
			os.Exit(1)
		}
		text := strings.TrimSuffix(string(data), "\n")
		dir := filepath.Join(root, name)
		os.MkdirAll(dir, 0o755)
		write(filepath.Join(dir, "clean.txt"), text+"\n")
		for _, d := range damages {
			ls := d.fn(strings.Split(text, "\n"))
			write(filepath.Join(dir, d.name+".txt"), strings.Join(ls, "\n")+"\n")
			n++
		}
		// CRLF line ends, and the mix a forum paste has: numbers, comments,
		// CRLF and no final newline.
		write(filepath.Join(dir, "crlf.txt"), strings.ReplaceAll(text, "\n", "\r\n")+"\r\n")
		mixed := damages[0].fn(damages[5].fn(strings.Split(text, "\n")))
		write(filepath.Join(dir, "mixed.txt"), strings.Join(mixed, "\r\n"))
		n += 2
	}
	fmt.Printf("wrote %d damaged traces from %d clean ones into %s\n", n, len(bases), root)
}

func write(path, s string) {
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "damage:", err)
		os.Exit(1)
	}
}
