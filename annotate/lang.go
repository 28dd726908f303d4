package annotate

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/tcpnote/tcpnote/fsm"
	"golang.org/x/text/language"
)

// Language is everything tcpnote says in one language, as text only: a
// template for every phrase, a short step label for every code (what a
// diagram writes on an arrow), and the words of the pages. A language is one
// file, lang_XX.go, holding one Language value, plus its line in languages.
type Language struct {
	// Tag is the BCP 47 tag --lang and the locale match against: "en".
	Tag string
	// Name is the language's name in itself, for --help.
	Name string
	// Phrases are the templates the composers say (compose.go).
	Phrases [numPhrases]string
	// Steps name what a packet is in a diagram, by its most telling code:
	// "1st handshake (SYN)". Every code with a rank has one.
	Steps [fsm.NumCodes]string
	Words Words

	phrases [numPhrases][]piece // compiled, on first use (view.say)
	// ipHeader is the ip.header sentence for each set of the fields it
	// shows (ipFields), its phrases joined into one piece list: -v has the
	// event on every packet, and saying its five to nine phrases one by
	// one was 8% of a -v JSON run.
	// Built on the first ip.header (joinIPHeader): only -v lines have one.
	ipHeader [1 << len(ipFieldPhrases)][]piece
	ipOnce   sync.Once
	// compiled is set once phrases are: a run speaks one language, and
	// compiling all three at package init was 2.1 M instructions, 1% of
	// a 20,000-line run.
	compiled atomic.Bool
	once     sync.Once
}

// Words are a language's words outside the sentences.
type Words struct {
	Role [2]string // client, server
	// Arrow joins a state change, Sep joins events, StateSep precedes the
	// state changes, ListSep joins the state changes of both endpoints.
	Arrow, Sep, StateSep, ListSep string
	// Units follow a duration: µs, ms, s, h (with any space before them).
	Units [4]string
	// States word the state changes that are not plain edges.
	States StateWords
	// Abs encloses the absolute value written after a relative number of
	// the line: " (" and ")" in English.
	Abs [2]string
	// Markdown handouts, also the titles of diagrams.
	Connection string    // heading: "Connection 3"
	Columns    [2]string // the table's header and its rule
	Summary    string    // heading of the summary
	Direction  [2]string // client → server, server → client
	// The HTML page.
	Title   string
	Hint    string
	None    string // no TCP segments in the input
	Nav     string // heading of the list of connections
	Conns   [2]string
	Packets [2]string // one, several: %d is the number
	Legend  [6]string // handshake, data, ACK, close, reset, retransmission
	Idle    string    // %s is the time left out
	Compact string    // %d is the number of packets
	// Elided says a document left packets of a connection out: %[1]d
	// packets, input lines %[2]d to %[3]d, connection %[4]d.
	Elided string
	// MoreConns says a page left connections out: %[1]d connections,
	// %[2]d packets, input lines %[3]d to %[4]d.
	MoreConns string
	Time      string // the table's headings
	Packet    string
	Explain   string
	// Unread counts, in the summaries, the lines that look like TCP
	// segments but could not be read: one line (%s lists it), several
	// (%d is the count, %s lists them).
	Unread [2]string
	// Unpaired follows the notes of a flattened line whose times could
	// not be paired with its segments.
	Unpaired string
	// Help is the command's help and usage errors (cmd/tcpnote).
	Help Help
	// Stats are the expert summary's words (--stats, stats.go).
	Stats StatsWords

	// Quiz is the words of a worksheet (--quiz, quiz.go).
	Quiz Quiz

	// Stepper is the HTML page's step-through panel and state diagram
	// (html_panel.go).
	Stepper StepperWords

	// The classroom edition's marks (issue 18: loss, retransmission,
	// crossing, the time axis), in every document format.
	Marks MarkWords
}

// MarkWords are the words of the marks the documents draw on a packet:
// lost (×), resent, crossing, duplicate ACK, SACK, and the captions.
type MarkWords struct {
	// Lost is the mark of a segment drawn as never arriving ("never
	// arrived", "never answered"), LostWhy how the trace shows it, both by
	// lostReason (marks.go).
	Lost, LostWhy [numLostReasons]string
	// Resends: %d is the number of the copy this packet sends again.
	// ResentBy: %d is the number of the packet that sends this one again.
	Resends, ResentBy string
	// Crosses: %d is the number of the segment this one crosses (each
	// left before the other arrived).
	Crosses string
	DupAck  string // the mark of a duplicate ACK
	SACK    string // before a SACK block's range: "SACK"
	// EvenTime captions a connection whose timestamps go backwards or
	// jump by hours: the ladder spaces its packets evenly.
	EvenTime string
	// Legend names the marks in the legends: lost, resent, crossing,
	// duplicate ACK, SACK.
	Legend [5]string
	// MarksHead heads the Markdown legend ("Marks:"); DirLegend explains → and ←.
	MarksHead, DirLegend string
}

// StateWords are how a language words the state changes that are not plain
// edges of the diagram: an unknown state, an inference, a correction, and
// the evidence behind each (fsm.Why).
type StateWords struct {
	Unknown    string // an Unknown state: "?"
	Self       string // the one endpoint of a self-connect: "socket"
	Inferred   string // opens an inference's reason: " (inferred: "
	Because    string // opens a correction's reason: " ("
	Close      string // closes either: ")"
	Correction string // opens a correction: "correction: "
	Not        string // between the state and the one given before: ", not "
	NotAfter   string // after the one given before (Japanese: " ではなかった")
	// Why is the evidence, one sentence per reason.
	Why [fsm.NumWhy]string

	// InferredShort marks an inference whose reason the trace has given
	// before (brief notes, issue 17): " (inferred)".
	InferredShort string
}

// Help is what cmd/tcpnote says about itself in a language: its --help and
// its usage errors. English leaves it empty: the English is in
// cmd/tcpnote/run.go, next to the flags it describes, and an empty field in
// any language falls back to it. The error fields are fmt templates.
type Help struct {
	// Usage is what --help prints before the flags, ending with their
	// heading.
	Usage string
	// Flags describe the flags by name, the argument's name in backquotes
	// ("output `format`: …"); {langs} is replaced by the languages' tags.
	Flags map[string]string
	// Default follows a flag's description when its default is not the
	// zero value: %s is the default.
	Default string
	// Exit is printed after the flags: the exit statuses.
	Exit string
	// SeeHelp wraps every usage error: %s is the error.
	SeeHelp string
	// UnknownFlag: %s is the flag's name. UnknownShorthand: %[1]q is the
	// letter, %[2]s the group it was in.
	UnknownFlag, UnknownShorthand string
	// NeedsArg: %s is the flag as typed. BadValue: %[1]s is the flag,
	// %[2]q the value. BadSyntax: %s is the argument.
	NeedsArg, BadValue, BadSyntax string
	// Lang, Format: %q is the value given, %s the values accepted.
	Lang, Format string
	// Color: %q is the value given. MaxConns: %d is the number given.
	Color, MaxConns string
	// DemoFile: --demo was given a FILE.
	DemoFile string
	// Conn: %q is a --conn value that is neither a number nor HOST:PORT.
	Conn string
	// Stats: %q is a format without a form for --stats' table.
	Stats string
	// NoSegment says on stderr why an input had no TCP segment to explain.
	NoSegment NoSegmentWords
}

// NoSegmentWords are the likeliest reasons an input had no TCP segment to
// explain, one sentence each (cmd/tcpnote chooses one).
type NoSegmentWords struct {
	Quiet     string // every segment is tcpdump -q's
	Empty     string // the input is empty
	OneUnread string // one line looks like a segment but was not read
	Unread    string // %d lines look like segments, none was read
	Binary    string // the input is binary (a pcap?)
	Wireshark string // Wireshark's or tshark's text
	NotTCP    string // packets, but not TCP
	Nothing   string // nothing looks like tcpdump's text
}

// Help returns the language's help and usage errors.
func (l Lang) Help() *Help { return &l.text().Words.Help }

// languages are the languages tcpnote speaks, English first (the default).
// A new language is a lang_XX.go file and one entry here.
var languages = []*Language{&english, &chinese, &japanese}

// Lang is a language tcpnote writes its notes in: an index into the
// registered languages.
type Lang uint8

// English and Chinese are the first two languages, named for tests and
// callers that choose one in code.
const (
	English Lang = 0
	Chinese Lang = 1
)

func (l Lang) text() *Language {
	if int(l) < len(languages) {
		return languages[l]
	}
	return languages[English]
}

// compile compiles the language's phrases. It panics on a template that
// does not compile (TestWords says every phrase of every language).
func (l *Language) compile() {
	for p := phrase(1); p < numPhrases; p++ {
		ps, err := compile(l.Phrases[p])
		if err != nil {
			panic(fmt.Sprintf("annotate: %s phrase %d: %v", l.Tag, p, err))
		}
		l.phrases[p] = ps
	}
	l.compiled.Store(true)
}

// joinIPHeader builds ipHeader, once the phrases are compiled.
func (l *Language) joinIPHeader() {
	for m := range l.ipHeader {
		ps := append([]piece(nil), l.phrases[phIPHeader]...)
		n := 0
		for i, ph := range ipFieldPhrases {
			if m&(1<<i) != 0 {
				if n > 0 {
					ps = joinPieces(ps, l.phrases[phIPSep])
				}
				ps = joinPieces(ps, l.phrases[ph])
				n++
			}
		}
		l.ipHeader[m] = ps
	}
}

// String returns the language's tag, as --lang takes it.
func (l Lang) String() string { return l.text().Tag }

// Langs returns every language tcpnote speaks.
func Langs() []Lang {
	out := make([]Lang, len(languages))
	for i := range out {
		out[i] = Lang(i)
	}
	return out
}

// LangTags lists the tags of the languages: "en, zh, ja".
func LangTags() string {
	tags := make([]string, len(languages))
	for i, l := range languages {
		tags[i] = l.Tag
	}
	return strings.Join(tags, ", ")
}

var matcher language.Matcher

func init() {
	tags := make([]language.Tag, len(languages))
	for i, l := range languages {
		tags[i] = language.MustParse(l.Tag)
	}
	matcher = language.NewMatcher(tags)
}

// ParseLang reads a --lang value: a BCP 47 tag such as en, zh, zh-CN,
// zh-Hans, en-GB.
func ParseLang(s string) (Lang, error) {
	tag, err := language.Parse(s)
	if err != nil {
		return English, fmt.Errorf("unknown language %q (want %s)", s, LangTags())
	}
	_, i, conf := matcher.Match(tag)
	if conf == language.No {
		return English, fmt.Errorf("no notes in language %q (want %s)", s, LangTags())
	}
	return Lang(i), nil
}

// LangFromEnv picks the language the way POSIX locales do: the first of
// LC_ALL, LC_MESSAGES and LANG that is set decides; C, POSIX and unknown
// locales give English. getenv is os.Getenv in production.
func LangFromEnv(getenv func(string) string) Lang {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		loc := getenv(v)
		if loc == "" {
			continue
		}
		// zh_CN.UTF-8@latin → zh-CN
		if i := strings.IndexAny(loc, ".@"); i >= 0 {
			loc = loc[:i]
		}
		loc = strings.ReplaceAll(loc, "_", "-")
		if loc == "C" || loc == "POSIX" {
			return English
		}
		tag, err := language.Parse(loc)
		if err != nil {
			return English
		}
		_, i, conf := matcher.Match(tag)
		if conf == language.No {
			return English
		}
		return Lang(i)
	}
	return English
}
