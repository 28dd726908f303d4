package fsm

import (
	"strings"
	"testing"
)

// TestEventsMarkdown checks that the generated reference has a row for
// every code and every argument key. docs/events.md itself is compared
// with it by the golden harness (cmd/tcpnote).
func TestEventsMarkdown(t *testing.T) {
	doc := string(EventsMarkdown())
	for _, c := range Codes() {
		if !strings.Contains(doc, "\n| `"+c.Spec().Name+"` | ") {
			t.Errorf("no row for code %s", c.Spec().Name)
		}
	}
	for _, k := range Keys() {
		if !strings.Contains(doc, "\n| `"+k.Spec().Name+"` | ") {
			t.Errorf("no row for argument %s", k.Spec().Name)
		}
	}
}
