package grammar

import (
	"io"
	"regexp"
	"regexp/syntax"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2/lexer"
)

// The rules of tcpLexer (grammar.go) are the lexical grammar of record.
// participle's own driver tries them with Go's regexp on the whole rest of
// the line at every token: Go's regexp is linear per match, but a rule such
// as Pair, whose host run spans a line of 16,000 dots, scans to the end of
// that run at each of its 16,000 positions, and the backtracker clears a
// bitmap the size of the rest of the line at every call. A line of `a.`
// repeated 16,000 times took over 60 s.
//
// linearLexer runs the same rules, in the same order, to the same tokens
// (a differential fuzz test holds it to participle's driver), at a cost
// linear in the line:
//
//   - a rule is tried only where its first byte can start it (a set
//     computed from the rule's syntax);
//   - a rule with a longest match of L bytes sees only the next L+1 bytes;
//     an unbounded rule reads its input through a RuneReader, so Go's
//     regexp reads only as far as the match can still go;
//   - the rules that begin with a run of host characters (Tunnel,
//     FragPair, ExtPair, Pair) remember where that run ends when they
//     fail: from any later position in the same run they fail too (see
//     runRules), so each run is scanned once per rule, not once per
//     position.
//
// lexSteps counts the bytes the rules read, the operation count that
// tests hold to a multiple of the line's length.

// runRules names the rules whose every match begins with a run of one
// character class (the class their pattern begins with, C+) that extends
// to the end of the maximal run of C at the start, and whose failure at a
// position implies their failure at every later position of the same run:
//
//   - Tunnel, FragPair and ExtPair are C+ followed by a space, which is
//     not in C: the run must reach the end of the maximal run, and what
//     follows decides; from a later start the same end and the same rest
//     are seen.
//   - Pair is C+ \. [id]+ then a space: the host part ends at the run's
//     end, the port is what follows the run's last dot; from a later start
//     the same end, the same port and fewer dots to choose from are seen.
//
// A rule of this list whose pattern no longer begins with a character
// class and + is tried without the memo: slower on such lines, never wrong.
var runRules = map[string]bool{"Tunnel": true, "FragPair": true, "ExtPair": true, "Pair": true}

// runeRunRules are the pasted pairs, whose names may be in any script: the
// same memo, over a run of characters (decoded as Go's regexp decodes them)
// of the class the rule begins with:
//
//   - LoosePair is C+ \. D+ then a space or a no-break space, neither in C,
//     with D within C: like Pair, a match spans the maximal run.
//   - BarePair is L M* then a space or a no-break space, neither in M, with
//     L within M: from any position of a run of M where it is tried (the
//     first byte is one L starts with; M's other characters are ASCII and
//     not among them) it reads to the run's end and sees the same rest.
var runeRunRules = map[string]bool{"LoosePair": true, "BarePair": true}

// lexRule is one rule of the lexer, prepared.
type lexRule struct {
	name   string
	typ    lexer.TokenType
	re     *regexp.Regexp // ^(?:pattern)
	maxLen int            // longest match in bytes; -1 when unbounded
	first  byteSet        // the bytes a match can start with
	run    *byteSet       // for a run rule, the class of its run
	runes  []rune         // for a rune run rule, the class of its run (ranges, as syntax gives them)
}

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) add(b byte)           { s[b>>6] |= 1 << (b & 63) }
func (s *byteSet) has(b byte) bool      { return s[b>>6]&(1<<(b&63)) != 0 }
func (s *byteSet) addAll()              { *s = byteSet{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)} }
func (s *byteSet) addRange(lo, hi rune) { addRuneRange(s, lo, hi) }

// linearLexer is a participle lexer definition over the rules of a
// participle simple lexer.
type linearLexer struct {
	symbols map[string]lexer.TokenType
	rules   []lexRule
}

// linear prepares the rules of def (one state, no actions, as
// lexer.MustSimple builds them).
func linear(def *lexer.StatefulDefinition) *linearLexer {
	l := &linearLexer{symbols: def.Symbols()}
	for _, r := range def.Rules()["Root"] {
		re := syntaxOf(r.Pattern)
		lr := lexRule{name: r.Name, typ: l.symbols[r.Name], re: regexp.MustCompile("^(?:" + r.Pattern + ")"), maxLen: maxLen(re)}
		if firstBytes(re, &lr.first) {
			lr.first.addAll()
		}
		if runRules[r.Name] {
			lr.run = leadingRun(re)
		}
		if runeRunRules[r.Name] {
			lr.runes = leadingRuneRun(re)
		}
		l.rules = append(l.rules, lr)
	}
	return l
}

func syntaxOf(pattern string) *syntax.Regexp {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		panic(err)
	}
	return re.Simplify()
}

// Symbols implements lexer.Definition.
func (l *linearLexer) Symbols() map[string]lexer.TokenType { return l.symbols }

// Lex implements lexer.Definition.
func (l *linearLexer) Lex(filename string, r io.Reader) (lexer.Lexer, error) {
	var b strings.Builder
	if _, err := io.Copy(&b, r); err != nil {
		return nil, err
	}
	return l.LexString(filename, b.String())
}

// LexBytes implements lexer.BytesDefinition.
func (l *linearLexer) LexBytes(filename string, b []byte) (lexer.Lexer, error) {
	return l.LexString(filename, string(b))
}

// LexString implements lexer.StringDefinition.
func (l *linearLexer) LexString(filename, s string) (lexer.Lexer, error) {
	lx := &lineLexer{def: l, data: s, pos: lexer.Position{Filename: filename, Line: 1, Column: 1},
		failedAt: make([]int, len(l.rules)), runTo: make([]int, len(l.rules))}
	for i := range lx.failedAt {
		lx.failedAt[i] = -1
	}
	return lx, nil
}

// lineLexer lexes one input.
type lineLexer struct {
	def  *linearLexer
	data string
	off  int // bytes consumed
	pos  lexer.Position
	// failedAt is, per rule, the end of the run after which a run rule
	// failed; -1 when none. runTo is the end of the last run measured for
	// the rule: from any position before it, the run ends there too.
	failedAt, runTo []int
	rd              runeReader
	// steps counts the bytes read by the rules; at the end of the input
	// they are added to lexSteps.
	steps   int
	counted bool
}

// lexSteps is the total of the bytes the lexer's rules have read, for the
// tests that hold it to a multiple of the input's length.
var lexSteps atomic.Int64

// Next implements lexer.Lexer.
func (lx *lineLexer) Next() (lexer.Token, error) {
	if lx.off >= len(lx.data) {
		if !lx.counted {
			lx.counted = true
			lexSteps.Add(int64(lx.steps))
		}
		return lexer.EOFToken(lx.pos), nil
	}
	rest := lx.data[lx.off:]
	for i := range lx.def.rules {
		r := &lx.def.rules[i]
		if !r.first.has(rest[0]) {
			continue
		}
		end := -1
		if r.run != nil || r.runes != nil {
			end = lx.runEnd(i, r)
			if lx.failedAt[i] == end {
				continue // failed from earlier in this run: fails here too
			}
		}
		n := lx.match(r, rest)
		if n < 0 {
			if end >= 0 {
				lx.failedAt[i] = end
			}
			continue
		}
		if n == 0 {
			return lexer.Token{}, &lexer.Error{Msg: "lexer: rule " + r.name + " did not match any input", Pos: lx.pos}
		}
		tok := lexer.Token{Type: r.typ, Value: rest[:n], Pos: lx.pos}
		lx.off += n
		lx.pos.Advance(rest[:n])
		return tok, nil
	}
	return lexer.Token{}, &lexer.Error{Msg: "lexer: invalid input text", Pos: lx.pos}
}

// match returns the length of rule r's match at the start of rest, or -1.
func (lx *lineLexer) match(r *lexRule, rest string) int {
	if r.maxLen >= 0 {
		w := rest
		if len(w) > r.maxLen+1 {
			// one byte more than the longest match: `$` and the
			// boundaries see what they would see in the whole line
			w = w[:r.maxLen+1]
		}
		lx.steps += len(w)
		if m := r.re.FindStringIndex(w); m != nil {
			return m[1]
		}
		return -1
	}
	lx.rd = runeReader{s: rest}
	m := r.re.FindReaderIndex(&lx.rd)
	lx.steps += lx.rd.i
	if m == nil {
		return -1
	}
	return m[1]
}

// runEnd returns the offset in the input where the maximal run of class c
// that starts at the current position ends. Positions only move forward,
// so a run is measured once, from where a rule first meets it.
func (lx *lineLexer) runEnd(rule int, r *lexRule) int {
	if lx.off < lx.runTo[rule] {
		return lx.runTo[rule] // inside the run measured last
	}
	i := lx.off
	if r.runes != nil {
		for i < len(lx.data) {
			c, n := utf8.DecodeRuneInString(lx.data[i:])
			if !inClass(r.runes, c) {
				break
			}
			i += n
		}
	} else {
		for i < len(lx.data) && r.run.has(lx.data[i]) {
			i++
		}
	}
	lx.steps += i - lx.off
	lx.runTo[rule] = i
	return i
}

// runeReader reads a string rune by rune, counting the bytes read.
type runeReader struct {
	s string
	i int
}

func (r *runeReader) ReadRune() (rune, int, error) {
	if r.i >= len(r.s) {
		return 0, 0, io.EOF
	}
	c, n := utf8.DecodeRuneInString(r.s[r.i:])
	r.i += n
	return c, n, nil
}

// maxLen returns the longest match of re in bytes, or -1 when it is
// unbounded.
func maxLen(re *syntax.Regexp) int {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return 0
	case syntax.OpLiteral:
		if re.Flags&syntax.FoldCase != 0 {
			return utf8.UTFMax * len(re.Rune)
		}
		n := 0
		for _, r := range re.Rune {
			n += utf8.RuneLen(r)
		}
		return n
	case syntax.OpCharClass, syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		return utf8.UTFMax
	case syntax.OpCapture, syntax.OpQuest:
		return maxLen(re.Sub[0])
	case syntax.OpRepeat:
		if re.Max < 0 {
			return -1
		}
		if n := maxLen(re.Sub[0]); n >= 0 {
			return n * re.Max
		}
		return -1
	case syntax.OpConcat:
		sum := 0
		for _, s := range re.Sub {
			n := maxLen(s)
			if n < 0 {
				return -1
			}
			sum += n
		}
		return sum
	case syntax.OpAlternate:
		most := 0
		for _, s := range re.Sub {
			n := maxLen(s)
			if n < 0 {
				return -1
			}
			most = max(most, n)
		}
		return most
	}
	return -1 // star, plus, and anything else: unbounded
}

// firstBytes adds to set the bytes a match of re can start with, and
// reports whether re can match the empty string (then what follows it can
// start the match too).
func firstBytes(re *syntax.Regexp, set *byteSet) (nullable bool) {
	switch re.Op {
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText, syntax.OpEndText,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return true
	case syntax.OpLiteral:
		if len(re.Rune) == 0 {
			return true
		}
		r := re.Rune[0]
		set.addRange(r, r)
		if re.Flags&syntax.FoldCase != 0 {
			// the ASCII other case, and any multi-byte fold (K, k and
			// the Kelvin sign): a generous superset
			set.addRange(r|0x20, r|0x20)
			set.addRange(r&^0x20, r&^0x20)
			set.addRange(utf8.RuneSelf, utf8.MaxRune)
		}
		return false
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			set.addRange(re.Rune[i], re.Rune[i+1])
		}
		return false
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		set.addAll()
		return false
	case syntax.OpCapture, syntax.OpPlus:
		return firstBytes(re.Sub[0], set)
	case syntax.OpStar, syntax.OpQuest:
		firstBytes(re.Sub[0], set)
		return true
	case syntax.OpRepeat:
		return firstBytes(re.Sub[0], set) || re.Min == 0
	case syntax.OpConcat:
		for _, s := range re.Sub {
			if !firstBytes(s, set) {
				return false
			}
		}
		return true
	case syntax.OpAlternate:
		any := false
		for _, s := range re.Sub {
			if firstBytes(s, set) {
				any = true
			}
		}
		return any
	}
	set.addAll()
	return true
}

// addRuneRange adds the first bytes of the UTF-8 encodings of lo…hi. Go's
// regexp reads a byte of invalid UTF-8 as U+FFFD: a class holding U+FFFD
// may start at any byte that does not begin valid UTF-8.
func addRuneRange(s *byteSet, lo, hi rune) {
	for r := lo; r <= hi && r < utf8.RuneSelf; r++ {
		s.add(byte(r))
	}
	if hi >= utf8.RuneSelf {
		// every lead byte of a multi-byte encoding, and every byte that
		// is not valid UTF-8 (read as U+FFFD): a generous superset
		for b := 0x80; b <= 0xff; b++ {
			s.add(byte(b))
		}
	}
}

// leadingRun returns the class of the run a pattern begins with, C+ of an
// ASCII class, or nil.
// leadingRuneRun returns the class of the run a rune run rule begins
// with (runeRunRules): C of a leading C+, or M of a leading L M* with L
// within M; nil for any other shape (the rule is then tried without the
// memo).
func leadingRuneRun(re *syntax.Regexp) []rune {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 {
		return nil
	}
	a, b := re.Sub[0], re.Sub[1]
	switch {
	case a.Op == syntax.OpPlus && a.Sub[0].Op == syntax.OpCharClass:
		return a.Sub[0].Rune
	case a.Op == syntax.OpCharClass && b.Op == syntax.OpStar && b.Sub[0].Op == syntax.OpCharClass && classWithin(a.Rune, b.Sub[0].Rune):
		return b.Sub[0].Rune
	}
	return nil
}

// inClass reports whether c is in a class of rune ranges.
func inClass(cls []rune, c rune) bool {
	for i := 0; i+1 < len(cls); i += 2 {
		if c >= cls[i] && c <= cls[i+1] {
			return true
		}
	}
	return false
}

// classWithin reports whether every range of a lies in b.
func classWithin(a, b []rune) bool {
	for i := 0; i+1 < len(a); i += 2 {
		ok := false
		for j := 0; j+1 < len(b); j += 2 {
			if a[i] >= b[j] && a[i+1] <= b[j+1] {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

func leadingRun(re *syntax.Regexp) *byteSet {
	for re.Op == syntax.OpCapture {
		re = re.Sub[0]
	}
	if re.Op == syntax.OpConcat && len(re.Sub) > 0 {
		re = re.Sub[0]
	}
	if re.Op != syntax.OpPlus || re.Sub[0].Op != syntax.OpCharClass {
		return nil
	}
	var c byteSet
	cls := re.Sub[0].Rune
	for i := 0; i+1 < len(cls); i += 2 {
		if cls[i+1] >= utf8.RuneSelf {
			return nil
		}
		c.addRange(cls[i], cls[i+1])
	}
	return &c
}
