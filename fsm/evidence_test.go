package fsm

import (
	"strings"
	"testing"

	"github.com/tcpnote/tcpnote/grammar"
)

func TestIsElision(t *testing.T) {
	for s, want := range map[string]bool{
		"...": true, "  …  ": true, "[snip]": true, "[...]": true, "": true, " \t\r": true,
		"..": false, "0x0000:  4500 0034": false, "tcpdump: listening on lo": false, "P.": false,
	} {
		if got := isElision([]byte(s)); got != want {
			t.Errorf("isElision(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestImpossibleOnlyWhenProven edits the server's ACK in the -v render of
// three-way-close to acknowledge 10 bytes the client never sent. With the
// client's IP ids running unbroken the trace proves it has every client
// packet: impossible (lint), and only that claim. Without -v, or with an
// elision line before it, the bytes are only "not in this trace".
func TestImpossibleOnlyWhenProven(t *testing.T) {
	run := func(text string) []Event {
		s := grammar.NewScanner(strings.NewReader(text))
		tr := NewTracker()
		var last []Event
		for s.Scan() {
			r := s.Record()
			if r.Kind != grammar.TCP {
				tr.Other(r.Raw)
				continue
			}
			last = append([]Event(nil), tr.Process(&r.Packet, r.Line).Events...)
		}
		return last
	}
	edit := func(render string, keep int) string {
		lines := strings.Split(readCapture(t, "three-way-close", render), "\n")[:keep]
		lines[keep-1] = strings.Replace(lines[keep-1], "ack 3669053404,", "ack 3669053414,", 1)
		return strings.Join(lines, "\n") + "\n"
	}
	v := edit("nn+S+v", 10)
	evs := run(v)
	if findIn(evs, LintAckUnsent) == nil || findIn(evs, AckedUnseen) != nil {
		t.Errorf("-v, ids unbroken: want lint.ack_unsent alone: %v", evs)
	}
	lines := strings.SplitAfter(v, "\n")
	cut := strings.Join(lines[:8], "") + "...\n" + strings.Join(lines[8:], "")
	evs = run(cut)
	if findIn(evs, LintAckUnsent) != nil || findIn(evs, AckedUnseen) == nil {
		t.Errorf("after an elision line: want acked_unseen alone: %v", evs)
	}
	evs = run(edit("nn+S", 5))
	if findIn(evs, LintAckUnsent) != nil || findIn(evs, AckedUnseen) == nil {
		t.Errorf("no IP ids: want acked_unseen alone: %v", evs)
	}
	// a jump in the client's IP ids: a client packet was missed
	jump := strings.Replace(v, "id 12937,", "id 12939,", 1)
	evs = run(jump)
	if findIn(evs, LintAckUnsent) != nil {
		t.Errorf("the client's ids jump: still called impossible: %v", evs)
	}
}
