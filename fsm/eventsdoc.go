package fsm

import "strings"

// EventsMarkdown writes the vocabulary as Markdown: the reference of every
// code and argument a JSON consumer sees, which is docs/events.md. The
// golden harness (cmd/tcpnote, `go test ./cmd/tcpnote -update`) keeps that
// file equal to it.
func EventsMarkdown() []byte { return []byte(eventsDoc()) }

// eventsDoc is EventsMarkdown as a string.
func eventsDoc() string {
	var b strings.Builder
	b.WriteString("# Events and their arguments\n\n")
	b.WriteString("Generated from `fsm/vocab.go` by `go test ./cmd/tcpnote -update`; do not edit by hand.\n\n")
	b.WriteString("Every TCP record in `--format json` carries `events`: objects with `code`, `text` (the sentence in the\n")
	b.WriteString("chosen language) and the arguments below, in this order, each present only when it applies. Values are\n")
	b.WriteString("integers except `backoff`, `ecn_side`, `rtt_source`, `ack_gap`, `by` and `field`, which are names. Codes are never renamed.\n\n")
	b.WriteString("| code | kind | arguments | meaning |\n|---|---|---|---|\n")
	for _, c := range Codes() {
		s := c.Spec()
		var args []string
		for _, k := range s.Args {
			args = append(args, "`"+k.String()+"`")
		}
		var flags []string
		if s.Rank != 0 {
			flags = append(flags, "step")
		}
		if s.Warn {
			flags = append(flags, "warning")
		}
		if s.Verbose {
			flags = append(flags, "--verbose")
		}
		if s.Form {
			flags = append(flags, "how printed")
		}
		kind := s.Kind.String()
		if len(flags) > 0 {
			kind += " (" + strings.Join(flags, ", ") + ")"
		}
		b.WriteString("| `" + s.Name + "` | " + kind + " | " + strings.Join(args, ", ") + " | " + s.Doc + " |\n")
	}
	b.WriteString("\n## Arguments\n\n| argument | unit | meaning |\n|---|---|---|\n")
	units := map[Unit]string{UnitNumber: "number", UnitMicros: "µs", UnitBool: "0 or 1", UnitHex: "number (written in hex)",
		UnitBackoff: "first, doubled, linear, irregular", UnitECNSide: "syn, synack", UnitField: "pair, src, dst, flags, number, options, fields", UnitLine: "input line", UnitConnID: "connection number",
		UnitSequence: "sequence number (absolute, mod 2^32)", UnitRTTSource: "handshake, ts_echo, data_ack",
		UnitAckGap: "delayed, round_trip, unexplained", UnitRetransBy: "timer, dup_acks, sack"}
	for _, k := range Keys() {
		s := k.Spec()
		b.WriteString("| `" + s.Name + "` | " + units[s.Unit] + " | " + s.Doc + " |\n")
	}
	b.WriteString(`
## Changes to argument meanings

These arguments changed when the vocabulary got one table (December 2026); the old meanings are gone:

- ` + "`handshake.syn_retransmit`" + `: ` + "`lost: 2`" + ` (no answer in the trace) is now ` + "`unanswered: 1`" + `; ` + "`lost`" + ` is 0/1 only.
- ` + "`window.zero`" + `: ` + "`count`" + ` (still zero) is now ` + "`still`" + `.
- ` + "`trace.ports_reused`" + `: ` + "`conns`" + ` (the old connection's number) is now ` + "`old_conn`" + `, ` + "`count`" + ` (it had closed) is ` + "`old_closed`" + `.
- ` + "`option.wscale`" + `: ` + "`count: 2`" + ` (both offered) is now ` + "`both_offered: 1`" + `; the second shape of ` + "`option.wscale`" + ` (a window multiplied out, with ` + "`win`" + ` and ` + "`win_bytes`" + `) is the new code ` + "`window.scaled`" + `.
- ` + "`fast_retransmission`" + `: ` + "`count`" + ` (duplicate ACKs before it) is now ` + "`dup_acks`" + `.
- New verdicts fsm used to leave to the sentences: ` + "`backoff`" + ` on SYN and SYN-ACK retries (` + "`doubled`" + ` is kept), ` + "`dsack`" + ` on ` + "`option.sack`" + `, ` + "`fin`" + ` on a FIN's retransmission, ` + "`wrap`" + ` and ` + "`urgent`" + ` on data, ` + "`ecn_side`" + ` on ` + "`ecn.setup`" + `, ` + "`mtu`" + `/` + "`ipv6`" + ` on ` + "`option.mss`" + `.

States that follow the evidence (issue 12) changed these:

- ` + "`handshake.syn_retransmit`" + `: ` + "`unanswered: 1`" + ` no longer puts the server back in LISTEN: with no answer in the trace the server's state is unknown (` + "`\"UNKNOWN\"`" + `).
- ` + "`close.fin_ack`" + `: new ` + "`simultaneous: 1`" + ` when it acknowledges the other side's crossing FIN in a simultaneous close.
- ` + "`handshake.synack_retransmit`" + `: ` + "`lost: 1`" + ` only when the 3rd-handshake ACK is not in the trace; when it is, the listener did not take it: the new code ` + "`handshake.ack_dropped`" + `.
- A connection's states start UNKNOWN, not LISTEN, until the trace shows them; each record's ` + "`changes`" + ` says how each state change is known (docs/formats.md).
`)
	// issue 13 (timers, numbers and gaps that follow the evidence)
	b.WriteString(strings.ReplaceAll(`
Issue 13 (timers, numbers and gaps that follow the evidence) changed these:

- %ack%: %gap_us% is now the time since the segment this ACK acknowledges (%acked_line%), given when the round trip explains it or when it is at least the least delayed-ACK timer (35 ms); it no longer means "a delayed ACK" by itself: %ack_gap% says what explains it (%delayed% only for what the round trip, %rtt_us% measured on %rtt_source%, leaves over, for one segment), and is absent when the trace shows no round trip.
- %retransmission%: %by% names the evidence (%timer% when no duplicate ACK or SACK came and the wait passed the least RTO; absent when the trace does not say); %count%, %gap_us%, %prev_gap_us%, %backoff% and %capped% place it in the series of copies of the same bytes. %fast_retransmission% carries %by% (%dup_acks% or %sack%). Every retransmission code carries %orig_line% again: the line of the first copy.
- %window.probe% and %keepalive%: %count%, %gap_us%, %prev_gap_us%, %backoff% (and %capped% for probes) place each in its series; %first_line% names a first one recognised only later, which the new codes %window.probe_first% and %keepalive.first% say on the packet that shows it.
- %trace.relative_seq%: %base_unknown: 1% when tcpdump's base is before the trace; then only the side whose base is known has an absolute %seq% or %ack%.
- New codes %trace.cut% (a line cut before its fields end: what it does not print has no value) and %trace.copy% (the same segment on another interface with -i any, %orig_line% the first sighting; not a retransmission, not counted).

Issue 22 (IPv6 extension headers, tunnels, fragments, timestamp forms, ECN) changed these:

- %data%: %tfo_data: 1% only when the SYN carries the Fast Open option (RFC 7413); a SYN with data and no option gets the new code %syn.data% instead, and its SYN-ACK carries %missing% (the SYN's bytes it does not acknowledge) when it acknowledges only the SYN.
- %lint.ack_unsent%: also an ack beyond the peer's FIN + 1, whatever the trace's gaps (nothing follows a FIN); such an ack does not acknowledge the FIN (no %close.fin_ack% or %close.final_ack%).
- %lost_segment% and %acked_unseen%: no longer said of bytes that travelled in later IP fragments tcpdump printed without a length: the new code %ack.fragmented% says them.
- New codes %ip.fragment% (%count% 1 on the first fragment, whose seq range tcpdump counts alone; later fragments with %frag_offset%, %len%, %reassembled%), %ecn.ce%, %ecn.echo%, %ecn.cwr% (ECN after the setup), %trace.time_reading% (%offsets%: -ttttt offsets or -ttt deltas, which print alike). Packets' JSON gains %ip.ext%, %ip.fragment% and %tunnel%.
`, "%", "`"))
	return b.String()
}
