// Command damage writes copies of real tcpdump traces damaged the way
// pasted traces are: line numbers, quote marks, prompts, comments, HTML
// entities, collapsed spaces, CRLF, hard wraps, no-break spaces; e-mail
// quoting with wraps inside the quote and quoted-printable soft breaks;
// placeholder hosts; flags spelled as words; several segments flattened
// onto one line; a leading space and an interface prefix. tcpnote must
// annotate each copy exactly as it annotates the clean trace, except that
// a copy whose name starts with "unpaired-" lost the pairing of its times
// with its segments: it must give the same segments, each marked so
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
	// e-mail replies: a deeper quote, a quote wrapped by the mail client,
	// quoted-printable soft breaks with and without a quote
	{"quoted-deep", func(ls []string) []string { return quote(ls, ">> ") }},
	{"quoted-nested", func(ls []string) []string { return quote(ls, "> > ") }},
	{"quoted-wrapped", func(ls []string) []string { return quote(wrap(ls, 70), "> ") }},
	{"quoted-printable", func(ls []string) []string { return softBreaks(ls, 76) }},
	{"quoted-printable-quoted", func(ls []string) []string { return quote(softBreaks(ls, 74), "> ") }},
	// redacted hosts
	{"placeholder-brackets", placeholders("[client ip]", "[server ip]")},
	{"placeholder-angle", placeholders("<client ip>", "<server ip>")},
	{"placeholder-x", placeholders("x.x.x.x", "y.y.y.y")},
	{"placeholder-letters", placeholders("A.B.C.D", "E.F.G.H")},
	{"placeholder-partial", placeholders("", "")},
	{"placeholder-script", placeholders("客户端", "服务器")},
	// flags as Wireshark's Info column spells them, with and without the word
	{"flags-words", func(ls []string) []string { return spellFlags(ls, "Flags [", "]") }},
	{"flags-brackets", func(ls []string) []string { return spellFlags(ls, "[", "]") }},
	// a page that lost its line breaks: three lines to a line
	{"flattened", func(ls []string) []string { return flatten(ls, 3, false) }},
	// a table whose time column was flattened apart from the segments
	{"unpaired-flattened", func(ls []string) []string { return flatten(ls, 3, true) }},
	// a leading space and -i any's interface and direction
	{"iface-prefix", func(ls []string) []string { return ifacePrefix(ls, "tun0  In  ") }},
	{"iface-prefix-out", func(ls []string) []string { return ifacePrefix(ls, "en0  Out ") }},
}

// quote puts an e-mail quote prefix before every line.
func quote(ls []string, q string) []string {
	for i := range ls {
		ls[i] = q + ls[i]
	}
	return ls
}

// softBreaks breaks lines longer than width the way quoted-printable does:
// a '=' at the end of a line means the line goes on without a break.
func softBreaks(ls []string, width int) []string {
	var out []string
	for _, l := range ls {
		for len(l) > width {
			out = append(out, l[:width-1]+"=")
			l = l[width-1:]
		}
		out = append(out, l)
	}
	return out
}

// ipv4 matches an IPv4 address before its `.port`.
var ipv4 = regexp.MustCompile(`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b(?:\.)`)

// placeholders replaces each address by a placeholder, the first address
// seen by first and any other by second; with empty placeholders the last
// octet is replaced by xxx (yyy for the second address).
func placeholders(first, second string) func([]string) []string {
	return func(ls []string) []string {
		var seen []string
		for i, l := range ls {
			if !tcpLine.MatchString(l) {
				continue
			}
			ls[i] = ipv4.ReplaceAllStringFunc(l, func(a string) string {
				a = strings.TrimSuffix(a, ".")
				k := -1
				for j, s := range seen {
					if s == a {
						k = j
					}
				}
				if k < 0 {
					seen = append(seen, a)
					k = len(seen) - 1
				}
				ph := first
				if k > 0 {
					ph = second
				}
				if ph == "" {
					oct := []string{"xxx", "yyy"}[min(k, 1)]
					ph = a[:strings.LastIndexByte(a, '.')+1] + oct
				}
				return ph + "."
			})
		}
		return ls
	}
}

// modernFlag is `Flags [S.]` and its letters.
var modernFlag = regexp.MustCompile(`Flags \[([SFRPUEW.]+)\]`)

// spellFlags writes modern flag letters as words, in Wireshark's order.
func spellFlags(ls []string, open, close string) []string {
	words := []struct{ letter, word string }{{"F", "FIN"}, {"S", "SYN"}, {"R", "RST"}, {"P", "PSH"}, {".", "ACK"}, {"U", "URG"}, {"E", "ECE"}, {"W", "CWR"}}
	for i := range ls {
		ls[i] = modernFlag.ReplaceAllStringFunc(ls[i], func(m string) string {
			letters := modernFlag.FindStringSubmatch(m)[1]
			var ws []string
			for _, w := range words {
				if strings.Contains(letters, w.letter) {
					ws = append(ws, w.word)
				}
			}
			return open + strings.Join(ws, ", ") + close
		})
	}
	return ls
}

// timeFirst is a line's leading timestamp (with -tttt's date).
var timeFirst = regexp.MustCompile(`^((?:\d{4}-\d{2}-\d{2} )?\d{1,2}:\d{2}:\d{2}\.\d+) `)

// flatten joins every n lines into one, as a page that lost its line
// breaks; apart also moves the timestamps of the joined lines to the front,
// as a table whose columns were flattened one after the other.
//
// A record is a line that starts with a timestamp and the lines after it
// that do not (a -v packet's TCP line, a hex dump): a record stays whole.
func flatten(ls []string, n int, apart bool) []string {
	var recs []string
	for _, l := range ls {
		if timeFirst.MatchString(l) || len(recs) == 0 {
			recs = append(recs, l)
		} else {
			recs[len(recs)-1] += " " + strings.TrimLeft(l, " \t")
		}
	}
	var out []string
	for i := 0; i < len(recs); i += n {
		group := recs[i:min(i+n, len(recs))]
		if !apart {
			out = append(out, strings.Join(group, " "))
			continue
		}
		var times, rest []string
		for _, l := range group {
			if m := timeFirst.FindStringSubmatch(l); m != nil {
				times = append(times, m[1])
				l = l[len(m[0]):]
			}
			rest = append(rest, l)
		}
		out = append(out, strings.Join(append(times, rest...), " "))
	}
	return out
}

// ifacePrefix puts a leading space before each line that starts with a
// timestamp, and an interface and direction after the timestamp.
func ifacePrefix(ls []string, iface string) []string {
	for i, l := range ls {
		if m := timeFirst.FindStringSubmatch(l); m != nil && strings.Contains(l, " IP") {
			ls[i] = " " + m[0] + iface + l[len(m[0]):]
		}
	}
	return ls
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
