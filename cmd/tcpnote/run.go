package main

import (
	"bufio"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/mattn/go-isatty"
	flag "github.com/spf13/pflag"

	"github.com/tcpnote/tcpnote/annotate"
	"github.com/tcpnote/tcpnote/fsm"
)

// Exit codes.
const (
	exitOK    = 0 // success
	exitInput = 1 // an input could not be read (the others were processed)
	exitUsage = 2 // a usage error
	exitLint  = 3 // --lint found impossible numbers
)

// demoTraces are real traces annotated by --demo, so tcpnote can be tried
// without tcpdump.
//
//go:embed demo/*.txt
var demoTraces embed.FS

const usage = `tcpnote: explain tcpdump's TCP output, packet by packet.

Usage:
  tcpnote [flags] [FILE...]

tcpnote reads what tcpdump prints (FILEs, or standard input when there is
none or FILE is -) and writes every line back unchanged, each TCP segment
followed by a note marked ┆: which handshake or close step it is and the
sequence-number arithmetic behind it, retransmissions, windows, and the TCP
state of both endpoints after it arrives.

Examples:
  # watch a connection live (-l makes tcpdump line-buffered)
  tcpdump -S -nn -l -i lo port 8080 | tcpnote

  # explain a trace pasted from a blog, in Chinese
  tcpnote --lang zh trace.txt

  # a teaching handout, a sequence diagram, a ladder diagram page
  tcpnote --format markdown trace.txt > handout.md
  tcpnote --format mermaid trace.txt > diagram.mmd
  tcpnote --format html trace.txt > ladder.html

  # machine-readable events, with a summary of each connection
  tcpdump -r capture.pcap -nn -S | tcpnote --format json --summary

  # before printing a hand-edited trace in a handout, check its numbers
  tcpnote --lint trace.txt

  # no tcpdump at hand: annotate the traces built into tcpnote
  tcpnote --demo

  # the engineer's view: notes only where something happens, or goes wrong
  tcpnote --only notable trace.txt
  tcpnote --only anomalies capture.txt

  # a conversation table and the anomalies per connection, worst first
  tcpnote --stats capture.txt

  # a worksheet for a class, answers at the end
  tcpnote --format html --quiz --title "Lab 3" trace.txt > quiz.html

Tips: tcpdump's -S prints absolute sequence numbers (tcpnote explains
relative ones too); -v adds the IP header (TTL, DF) and checksums.
To see only tcpdump's own lines again: grep -v '┆'.

Flags:
`

// exitStatus ends the help, after the flags.
const exitStatus = "\nExit status: 0 success, 1 an input could not be read (the others are still\nprocessed), 2 usage error, 3 --lint found problems.\n"

// config is the parsed command line.
type config struct {
	format   string
	lang     annotate.Lang
	verbose  bool
	inline   bool
	color    bool
	summary  bool
	lineBuf  bool
	maxConns int
	conn     string // --conn: the one connection whose segments are kept
	files    []string
	demo     bool
	lint     bool
	// issue 17: every note in full; the packets whose notes are written
	full bool
	only annotate.Only
	// --stats (the expert summary, annotate/stats.go), implied by
	// --summary and by --history (which also explains the history letters)
	stats, history bool

	// the documents' title and caption (--title, --caption)
	title, caption string
	quiz           bool // --quiz: a worksheet (annotate/quiz.go)
}

// run is the whole command: it returns the exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, code, done := parseArgs(args, stdout, stderr, getenv)
	if done {
		return code
	}
	out := bufio.NewWriterSize(stdout, 64<<10)
	var f annotate.Formatter
	var lint *annotate.Lint
	if cfg.lint {
		lint = annotate.NewLint(out, cfg.lang)
		f = lint
	} else {
		var err error
		f, err = annotate.New(cfg.format, out, annotate.Options{
			Lang: cfg.lang, Verbose: cfg.verbose, Inline: cfg.inline, Color: cfg.color, Summaries: cfg.summary,
			Full: cfg.full, Only: cfg.only,
			// one connection by number is drawn whole; an endpoint may
			// match many, so the documents' bounds stay
			Whole: cfg.conn != "" && newConnFilter(cfg.conn).id > 0,
			// --title, --caption
			Title: cfg.title, Caption: cfg.caption,
			Quiz: cfg.quiz,
		})
		if err != nil {
			if h := cfg.lang.Help(); h.Format != "" {
				fmt.Fprintf(stderr, "tcpnote: "+h.Format+"\n", cfg.format, strings.Join(annotate.Formats, ", "))
			} else {
				fmt.Fprintf(stderr, "tcpnote: %v\n", err)
			}
			return exitUsage
		}
	}
	p := &pipeline{cfg: cfg, out: out, f: f, lint: lint, tracker: fsm.NewTracker(), stderr: stderr}
	p.tracker.MaxConns = cfg.maxConns
	p.summaries = !cfg.lint && (cfg.summary || cfg.conn != "" || annotate.WantsSummaries(cfg.format))
	// --stats: the expert summary sees what the format sees
	if cfg.stats && !cfg.lint {
		p.stats = annotate.NewStats(cfg.lang, cfg.history)
	} else {
		// nothing keeps a connection past its record and its summary
		// (--stats keeps them to the end): their memory is reused
		p.tracker.ReuseConns()
	}
	if cfg.conn != "" {
		p.sel = newConnFilter(cfg.conn)
	}
	code = exitOK
	inputs := cfg.files
	if cfg.demo {
		inputs = demoNames()
	}
	if len(inputs) == 0 {
		inputs = []string{"-"}
	}
	for _, name := range inputs {
		if !p.input(name, stdin) {
			code = exitInput
		}
		if p.closed {
			break
		}
	}
	if !p.closed {
		p.finish()
		if why := p.kinds.reason(cfg.lang.Help()); why != "" && code == exitOK {
			fmt.Fprintf(stderr, "tcpnote: %s\n", why)
		}
	}
	if p.writeErr != nil {
		fmt.Fprintf(stderr, "tcpnote: writing output: %v\n", p.writeErr)
		return exitInput
	}
	if p.closed {
		return exitOK
	}
	if lint != nil && lint.Findings() > 0 && code == exitOK {
		return exitLint
	}
	return code
}

// parseArgs reads the command line. done is set when run should return
// code at once (help, version, usage error).
func parseArgs(args []string, stdout, stderr io.Writer, getenv func(string) string) (cfg config, code int, done bool) {
	fl := flag.NewFlagSet("tcpnote", flag.ContinueOnError)
	fl.SetOutput(io.Discard)
	fl.SortFlags = false
	format := fl.StringP("format", "f", "text", "output `format`: text, json, markdown, mermaid, html")
	lang := fl.String("lang", "", "`language` of the notes: "+annotate.LangTags()+" (default from LC_ALL, LC_MESSAGES, LANG)")
	verbose := fl.BoolP("verbose", "v", false, "also explain options (MSS, wscale, SACK, timestamps), IP header fields and checksums")
	inline := fl.Bool("inline", false, "put each note at the end of its packet's line instead of on the next line")
	summary := fl.BoolP("summary", "s", false, "summarize each connection when it ends: Zeek conn_state and history, bytes, close pattern")
	colorWhen := fl.String("color", "auto", "colour the notes: `when` auto (a terminal, unless NO_COLOR is set), always, never")
	lineBuf := fl.BoolP("line-buffered", "l", false, "flush after every line (output is already flushed whenever input pauses)")
	maxConns := fl.Int("max-conns", fsm.DefaultMaxConns, "remember at most `N` connections and closed connections at once (about 550 bytes each, 2.9 KB past the first SYN, 140 once closed; and within 112 MiB or N × 600 bytes, whichever is more); the least recently seen is forgotten, with a note")
	conn := fl.String("conn", "", "keep only one connection's segments: its number `N` (as in the notes), or an endpoint HOST:PORT (every connection with it); other lines pass through, other connections' segments are left out; documents draw it whole")
	// issue 17
	full := fl.Bool("full", false, "write every note in full, as a teaching handout does (by default a kind of note is explained the first time in the trace, then said briefly, with its numbers)")
	only := fl.String("only", "", "write notes only for some packets (text output): `which` is notable (handshake, close and reset steps, state changes, and anomalies) or anomalies (retransmissions, duplicate ACKs, bytes missing, unseen or out of order, zero or full windows and their probes, resets, impossible numbers, unreadable lines, time going back); every input line still comes out")
	demo := fl.Bool("demo", false, "annotate the real traces built into tcpnote")
	lint := fl.Bool("lint", false, "instead of annotating, list impossible numbers (FILE:LINE:) and lines that look like TCP segments but cannot be read (FILE:LINE:COL:); exit 3 when there are any")
	// --stats (the expert summary, annotate/stats.go)
	stats := fl.Bool("stats", false, "at the end, an expert summary: a conversation table (packets and bytes each way, duration, round trips, retransmissions, close, Zeek conn_state in words) and the anomalies counted by connection, worst first; implied by --summary; in text, markdown and json")
	history := fl.Bool("history", false, "in the expert summary, also explain Zeek's history letters one by one (implies --stats)")
	// the documents' title and caption
	title := fl.String("title", "", "`text` heading a document (markdown, mermaid, html) instead of the default title")
	caption := fl.String("caption", "", "a line of `text` under a document's title (markdown, mermaid, html)")
	// --quiz: a worksheet from the trace (annotate/quiz.go)
	quiz := fl.Bool("quiz", false, "make a worksheet instead: the trace's lines with numbered blanks (handshake acks, next states, the close pattern, absolute numbers, bytes acknowledged, retransmission counts) and the answers at the end; with --format markdown or html")
	help := fl.BoolP("help", "h", false, "show this help")
	version := fl.BoolP("version", "V", false, "show the version")
	if err := fl.Parse(args); err != nil {
		h := messageLang(*lang, getenv).Help()
		fmt.Fprintf(stderr, "tcpnote: "+or(h.SeeHelp, "%s (see tcpnote --help)")+"\n", flagError(h, err))
		return cfg, exitUsage, true
	}
	if *help {
		printHelp(stdout, fl, messageLang(*lang, getenv).Help())
		return cfg, exitOK, true
	}
	if *version {
		fmt.Fprintln(stdout, versionString())
		return cfg, exitOK, true
	}
	cfg = config{format: *format, verbose: *verbose, inline: *inline, summary: *summary,
		lineBuf: *lineBuf, maxConns: *maxConns, conn: *conn, files: fl.Args(), demo: *demo, lint: *lint}
	cfg.title, cfg.caption = *title, *caption
	if *lang == "" {
		cfg.lang = annotate.LangFromEnv(getenv)
	} else {
		l, err := annotate.ParseLang(*lang)
		if err != nil {
			if h := annotate.LangFromEnv(getenv).Help(); h.Lang != "" {
				fmt.Fprintf(stderr, "tcpnote: "+h.Lang+"\n", *lang, annotate.LangTags())
			} else {
				fmt.Fprintf(stderr, "tcpnote: --lang: %v\n", err)
			}
			return cfg, exitUsage, true
		}
		cfg.lang = l
	}
	h := cfg.lang.Help()
	cfg.stats, cfg.history = *stats || *summary || *history, *history // --stats
	switch *colorWhen {
	case "always":
		cfg.color = true
	case "never":
	case "auto":
		cfg.color = getenv("NO_COLOR") == "" && isTerminal(stdout) && getenv("TERM") != "dumb"
	default:
		fmt.Fprintf(stderr, "tcpnote: "+or(h.Color, "--color: want auto, always or never, not %q")+"\n", *colorWhen)
		return cfg, exitUsage, true
	}
	if cfg.maxConns < 1 {
		fmt.Fprintf(stderr, "tcpnote: "+or(h.MaxConns, "--max-conns: want a positive number, not %d")+"\n", cfg.maxConns)
		return cfg, exitUsage, true
	}
	if cfg.conn != "" && newConnFilter(cfg.conn) == nil {
		fmt.Fprintf(stderr, "tcpnote: "+or(h.Conn, "--conn: want a connection number or HOST:PORT, not %q")+"\n", cfg.conn)
		return cfg, exitUsage, true
	}
	cfg.full = *full
	if *only != "" {
		o, err := annotate.ParseOnly(*only)
		if err != nil {
			msg := err.Error()
			if h.BadValue != "" {
				msg = fmt.Sprintf(h.BadValue, "--only", *only)
			}
			fmt.Fprintf(stderr, "tcpnote: "+or(h.SeeHelp, "%s (see tcpnote --help)")+"\n", msg)
			return cfg, exitUsage, true
		}
		cfg.only = o
	}
	// --quiz: a worksheet is Markdown or HTML
	cfg.quiz = *quiz
	if cfg.quiz && !cfg.lint && !annotate.QuizFormat(cfg.format) {
		fmt.Fprintf(stderr, "tcpnote: "+cfg.lang.QuizUsage()+"\n", cfg.format)
		return cfg, exitUsage, true
	}
	// --stats (or --history) asked for by name: the diagrams have no
	// form for its table, and saying nothing would lose it silently
	// (--summary implies it only where it can be written; an unknown
	// format is refused later, as such)
	if (*stats || *history) && !cfg.lint && !cfg.quiz &&
		slices.Contains(annotate.Formats, cfg.format) && !annotate.StatsFormat(cfg.format) {
		fmt.Fprintf(stderr, "tcpnote: "+or(h.Stats, "--stats: the expert summary is written in text, markdown and json (--format text, markdown or json), not %q")+"\n", cfg.format)
		return cfg, exitUsage, true
	}
	if cfg.demo && len(cfg.files) > 0 {
		fmt.Fprintln(stderr, "tcpnote: "+or(h.DemoFile, "--demo takes no FILE"))
		return cfg, exitUsage, true
	}
	return cfg, exitOK, false
}

// messageLang is the language of the help and the usage errors: --lang's
// when it names a language tcpnote speaks, else the locale's.
func messageLang(lang string, getenv func(string) string) annotate.Lang {
	if lang != "" {
		if l, err := annotate.ParseLang(lang); err == nil {
			return l
		}
	}
	return annotate.LangFromEnv(getenv)
}

// or returns the translation t, or the English en when there is none.
func or(t, en string) string {
	if t != "" {
		return t
	}
	return en
}

// printHelp writes --help in a language: the usage, the flags, the exit
// statuses.
func printHelp(w io.Writer, fl *flag.FlagSet, h *annotate.Help) {
	fmt.Fprint(w, or(h.Usage, usage))
	translateFlags(fl, h)
	fl.SetOutput(w)
	fl.PrintDefaults()
	fmt.Fprint(w, or(h.Exit, exitStatus))
}

// zeroValues are the values pflag does not print as a default, by the
// flag's type.
var zeroValues = map[string]string{"bool": "false", "string": "", "int": "0", "int64": "0", "uint": "0", "float64": "0", "duration": "0s"}

// translateFlags gives the flags their descriptions in the help's
// language, the default worded in it too; a flag it has no words for keeps
// its English.
func translateFlags(fl *flag.FlagSet, h *annotate.Help) {
	fl.VisitAll(func(f *flag.Flag) {
		d, ok := h.Flags[f.Name]
		if !ok {
			return
		}
		f.Usage = strings.ReplaceAll(d, "{langs}", annotate.LangTags())
		if zero, known := zeroValues[f.Value.Type()]; known && h.Default != "" && f.DefValue != zero {
			f.Usage += fmt.Sprintf(h.Default, f.DefValue)
			f.DefValue = zero
		}
	})
}

// flagError words a command-line error in the help's language, or in
// pflag's English when the language has no words for it.
func flagError(h *annotate.Help, err error) string {
	var (
		notExist  *flag.NotExistError
		noValue   *flag.ValueRequiredError
		badValue  *flag.InvalidValueError
		badSyntax *flag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist) && notExist.GetSpecifiedShortnames() != "" && h.UnknownShorthand != "":
		return fmt.Sprintf(h.UnknownShorthand, []rune(notExist.GetSpecifiedName())[0], notExist.GetSpecifiedShortnames())
	case errors.As(err, &notExist) && notExist.GetSpecifiedShortnames() == "" && h.UnknownFlag != "":
		return fmt.Sprintf(h.UnknownFlag, notExist.GetSpecifiedName())
	case errors.As(err, &noValue) && h.NeedsArg != "":
		name := "--" + noValue.GetSpecifiedName()
		if noValue.GetSpecifiedShortnames() != "" {
			name = "-" + noValue.GetSpecifiedName()
		}
		return fmt.Sprintf(h.NeedsArg, name)
	case errors.As(err, &badValue) && h.BadValue != "":
		return fmt.Sprintf(h.BadValue, "--"+badValue.GetFlag().Name, badValue.GetValue())
	case errors.As(err, &badSyntax) && h.BadSyntax != "":
		return fmt.Sprintf(h.BadSyntax, badSyntax.GetSpecifiedFlag())
	}
	return err.Error()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func demoNames() []string {
	entries, _ := fs.ReadDir(demoTraces, "demo")
	var names []string
	for _, e := range entries {
		names = append(names, "demo:"+e.Name())
	}
	sort.Strings(names)
	return names
}

// pipeline carries records from inputs through the tracker to a formatter.
type pipeline struct {
	cfg       config
	out       *bufio.Writer
	f         annotate.Formatter
	lint      *annotate.Lint
	tracker   *fsm.Tracker
	stderr    io.Writer
	summaries bool
	sel       *connFilter // --conn, or nil
	closed    bool        // the reader of our output went away
	writeErr  error
	kinds     inputKinds      // what the inputs held, for the no-TCP message
	stats     *annotate.Stats // --stats, or nil
}

// input processes one input; it reports false when it could not be read.
func (p *pipeline) input(name string, stdin io.Reader) bool {
	var r io.Reader
	switch {
	case name == "-":
		r = stdin
	case strings.HasPrefix(name, "demo:") && p.cfg.demo:
		f, err := demoTraces.Open("demo/" + strings.TrimPrefix(name, "demo:"))
		if err != nil {
			fmt.Fprintf(p.stderr, "tcpnote: %s: %v\n", name, err)
			return false
		}
		defer f.Close()
		p.out.WriteString("# tcpnote --demo: " + strings.TrimPrefix(name, "demo:") + "\n")
		return p.annotate(name, f, false)
	default:
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(p.stderr, "tcpnote: %s\n", describe(err))
			return false
		}
		defer f.Close()
		r = f
	}
	live := mayPause(r)
	r, format := sniff(r)
	if format == "" {
		return p.annotate(name, r, live)
	}
	c := p.openCapture(name, format, r)
	if c == nil {
		return false
	}
	ok := p.annotate(name, c.out, mayPause(c.out))
	return c.wait(p) && ok
}

// annotate reads one input's records through the tracker to the
// formatter; it reports false on a read error.
func (p *pipeline) annotate(name string, r io.Reader, live bool) bool {
	if p.lint != nil {
		if name == "-" {
			p.lint.Input("<stdin>")
		} else {
			p.lint.Input(name)
		}
	}
	rr := readRecords(r, p.cfg.lineBuf, live)
	next, stop := rr.next, rr.close
	concurrent := p.lint == nil && !p.cfg.quiz && streams(p.cfg.format) && !oneGoroutine
	if concurrent {
		ts := p.trackRecords(rr)
		next, stop = ts.next, ts.close
	}
	for {
		t0 := stageIdle.start()
		b := next()
		stageIdle.add(waitWrite, t0)
		if b == nil {
			return true
		}
		ok := true
		if concurrent {
			ok = p.write(b)
		} else {
			for i := 0; i < len(b.recs) && ok; i++ {
				b.work.reset()
				p.track(b, i)
				ok = p.write(b)
			}
		}
		if ok && (b.idle || p.cfg.lineBuf) {
			if err := p.out.Flush(); err != nil {
				p.fail(err)
				ok = false
			}
		}
		if !ok {
			stop()
			return true
		}
		if b.last {
			if concurrent {
				stop() // the tracker has ended: this waits for it to say so
			}
			if b.err != nil {
				if name == "-" {
					name = "standard input"
				}
				fmt.Fprintf(p.stderr, "tcpnote: %s: %v\n", name, unwrapPath(b.err))
				return false
			}
			return true
		}
		rr.recycle(b)
	}
}

// due writes the summaries of the connections that fell due.
func (p *pipeline) due(conns []*fsm.Conn) {
	var b batch
	p.dueInto(&b.work, conns)
	p.write(&b)
}

// finish writes what is left at the end of the input: the summaries of the
// connections still open, the document formats' output.
func (p *pipeline) finish() {
	p.due(p.tracker.Due())
	p.due(p.tracker.Flush())
	if err := p.f.Close(); err != nil {
		p.fail(err)
	}
	if p.stats != nil && !p.closed {
		if err := p.stats.Write(p.f, p.out); err != nil { // --stats, after the format's end
			p.fail(err)
		}
	}
	if err := p.out.Flush(); err != nil {
		p.fail(err)
	}
}

// fail records a write error: a closed pipe ends tcpnote quietly.
func (p *pipeline) fail(err error) {
	if errors.Is(err, syscall.EPIPE) || errors.Is(err, io.ErrClosedPipe) {
		p.closed = true
		return
	}
	if p.writeErr == nil {
		p.writeErr = err
	}
	p.closed = true
}

// describe words an open error: "trace.txt: no such file or directory".
func describe(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Path + ": " + pe.Err.Error()
	}
	return err.Error()
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// memoryLimit is the soft limit on the Go heap unless GOMEMLIMIT says
// otherwise: the collector works harder as the heap nears it, so that with
// the default --max-conns (fsm.DefaultMaxConns) the process stays within
// 256 MB on any input. main sets it (a process-wide setting, kept out of
// run, which tests call in-process).
const memoryLimit = 200 << 20

// limitMemory sets memoryLimit unless GOMEMLIMIT is set.
func limitMemory(getenv func(string) string) {
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
}

// connFilter is --conn: a connection number, or an endpoint as HOST:PORT
// ([v6]:PORT) or as tcpdump prints it (host.port).
type connFilter struct {
	id       int
	endpoint string
}

// newConnFilter parses --conn's value; nil when it is neither.
func newConnFilter(v string) *connFilter {
	if n, err := strconv.Atoi(v); err == nil {
		if n < 1 {
			return nil
		}
		return &connFilter{id: n}
	}
	host, port := v, ""
	switch i := strings.LastIndexByte(v, ':'); {
	case strings.HasPrefix(v, "[") && i > 0 && v[i-1] == ']':
		host, port = v[1:i-1], v[i+1:]
	case i > 0 && strings.Count(v, ":") == 1:
		host, port = v[:i], v[i+1:]
	}
	if port != "" {
		return &connFilter{endpoint: host + "." + port}
	}
	if strings.Contains(v, ".") {
		return &connFilter{endpoint: v} // as printed: host.port
	}
	return nil
}

// match reports whether a connection is the one (or one of those) kept.
func (f *connFilter) match(c *fsm.Conn) bool {
	if f.id > 0 {
		return c.ID == f.id
	}
	return c.Client == f.endpoint || c.Server == f.endpoint
}
