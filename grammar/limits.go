package grammar

import "bytes"

// Limits of what the grammar of record reads. participle recurses into
// nested groups and costs microseconds and a few kilobytes a token, so
// before it sees a line a linear pre-scan bounds what it may be asked to
// do:
//
//   - it reads at most the head of a line, its first MaxHead bytes cut
//     before a space or tab; the rest of a longer line can only be the
//     segment's Suffix (an application decoder's text after `length N`),
//     and a line whose TCP fields do not end within the head is not read
//     as a segment;
//   - brackets and parentheses nest at most MaxNesting deep in the head;
//   - the head holds the `>` (or `&gt;`) of the endpoint pair.
//
// A line beyond these limits passes through unchanged, like any line that
// is not TCP. Real segment lines are far within them: the longest in the
// corpus (limits_test.go) has its TCP fields within 640 bytes and nests 3
// deep; tcpdump's telnet decoder writes one of 267 KB, whose 266 KB of
// decoded options are its Suffix. A line is at most MaxLineBytes long:
// the Scanner cuts longer ones into pieces, none of them a segment.
const (
	MaxHead    = 4 << 10
	MaxNesting = 64
)

// grammarHead returns the part of a line the grammar reads, or false when
// the line is beyond the limits above.
func grammarHead(raw []byte) (head []byte, ok bool) {
	if len(raw) >= MaxLineBytes {
		return nil, false // a piece of a longer line, or as long as one
	}
	head = raw
	if len(raw) > MaxHead {
		cut := bytes.LastIndexAny(raw[:MaxHead+1], " \t")
		if cut <= 0 {
			return nil, false
		}
		// Cut before white space: the lexer's rules that may end at the
		// end of the text (`$`) accept a space or tab there too, so every
		// token before the cut is the token of the whole line.
		head = raw[:cut]
	}
	if bytes.IndexByte(head, '>') < 0 && !bytes.Contains(head, []byte("&gt;")) {
		return nil, false
	}
	if bytes.Count(head, []byte("["))+bytes.Count(head, []byte("(")) > MaxNesting && nesting(head) > MaxNesting {
		return nil, false
	}
	return head, true
}

// nesting returns how deep brackets and parentheses nest in a line: '['
// and '(' open, ']' and ')' close either, as the grammar's Group does.
func nesting(raw []byte) int {
	d, deepest := 0, 0
	for _, c := range raw {
		switch c {
		case '[', '(':
			d++
			deepest = max(deepest, d)
		case ']', ')':
			if d > 0 {
				d--
			}
		}
	}
	return deepest
}
