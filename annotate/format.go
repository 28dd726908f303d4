package annotate

import (
	"bufio"
	"fmt"
	"strings"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// Options shape every format.
type Options struct {
	Lang Lang
	// Verbose adds the meaning of options, IP header fields and checksums
	// to text output (JSON always has them).
	Verbose bool
	// Inline puts a packet's note at the end of its line (text only).
	Inline bool
	// Color writes ANSI colours (text only).
	Color bool
	// Summaries writes a summary of each connection when it ends.
	Summaries bool
	// Whole lifts the document formats' bounds on the packets kept per
	// connection: --conn asks for one connection, drawn whole.
	Whole bool

	// issue 17: what text output says, and of which packets.
	// Full says every note in full, as a teaching handout does; by default
	// a kind of note is explained once in the trace, then said briefly
	// (brief.go). The document formats and JSON are always full.
	Full bool
	// Only writes the notes of some packets only (text only); every input
	// line still comes out.
	Only Only
	// The classroom edition (issue 18): a document's title and caption.
	// Title heads a document (HTML, Markdown, Mermaid); "" gives the
	// language's default. Caption is a line under the title; "" gives none.
	Title, Caption string
	// Quiz makes a worksheet instead (--quiz): the Markdown or HTML
	// format's lines with numbered blanks and the answers (quiz.go).
	Quiz bool
}

// Formatter writes one output format. Records arrive in input order; a
// summary arrives after the record that ended its connection, or at the end.
type Formatter interface {
	// Record writes one input record; res is nil when it is not a TCP
	// segment.
	Record(rec *grammar.Record, res *fsm.Result) error
	// Summary writes a connection's summary (only called with --summary,
	// and always for the document formats, which list every connection).
	Summary(s *fsm.Summary) error
	// Close finishes the output; the document formats write it here.
	Close() error
}

// Formats lists the output formats by name.
var Formats = []string{"text", "json", "markdown", "mermaid", "html"}

// New returns the formatter for a format name.
func New(format string, w *bufio.Writer, o Options) (Formatter, error) {
	if o.Quiz { // a worksheet: Markdown or HTML only
		if !QuizFormat(format) {
			return nil, fmt.Errorf("--quiz: want --format markdown or html, not %q", format)
		}
		return newQuiz(w, o, format == "html"), nil
	}
	switch format {
	case "text":
		return newText(w, o), nil
	case "json", "jsonl":
		return newJSON(w, o), nil
	case "markdown", "md":
		return newMarkdown(w, o), nil
	case "mermaid":
		return newMermaid(w, o), nil
	case "html":
		return newHTML(w, o), nil
	}
	return nil, fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// WantsSummaries reports whether a format needs every connection's summary
// whatever --summary says.
func WantsSummaries(format string) bool {
	switch format {
	case "markdown", "md", "mermaid", "html":
		return true
	}
	return false
}

// AppendSummary appends a connection summary in words.
func AppendSummary(b []byte, lang Lang, s *fsm.Summary) []byte {
	v := view{lang: lang.text(), s: s}
	return composeSummary(&v, b)
}
