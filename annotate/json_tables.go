package annotate

import (
	"sync"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The JSON writer's constant pieces, joined once here: where a record
// writes a key, an enum's name and the next key, it appends one string
// rather than three. Each append is a capacity check and a copy, and a
// record has some thirty of them.
//
// The tables are built on the first JSON formatter (buildJSONTables), not
// at package init, which every other format would pay for too.

var jsonTablesOnce sync.Once

// jt holds the tables once buildJSONTables has run.
var jt struct {
	// eventHead: an event object up to its sentence, `{"code":"handshake.syn","text":"`
	eventHead enumJSON
	// from: `,"from":"client","events":[`
	from enumJSON
	// statePair: the event list's end and the state object,
	// `],"state":{"client":"ESTABLISHED","server":"ESTABLISHED"}`
	statePair [pairStates][pairStates]string
	// stepHead: a state change's start, `{"role":"server","to":"LISTEN","how":`
	stepHead [2][pairStates]string
	// stepTail: its end, `"inferred","why":"answers_syn"}`, or `"edge"}`
	stepTail [stepHows][fsm.NumWhy]string
	// flagsDial: `,"tcp_flags":["syn","ack"],"dialect":"modern"`
	flagsDial [len(flagNamesJSON)][flagDialects]string
	// nopOpt, sackOKOpt: the whole objects of the options that carry
	// nothing but their text, `{"kind":"nop","text":"nop"}`
	nopOpt, sackOKOpt string
	// argRank: for each code, each argument key's place in the order
	// the code declares its arguments, from 1; 0 is undeclared
	// (appendArgsJSON)
	argRank [fsm.NumCodes][256]uint8
}

func buildJSONTables() {
	buildEnumJSON()
	jt.nopOpt = optionJSON[grammar.OptNOP] + `"nop"}`
	jt.sackOKOpt = optionJSON[grammar.OptSACKPermitted] + `"sackOK"}`
	for c := range jt.argRank {
		for i, k := range fsm.Code(c).Spec().Args {
			if jt.argRank[c][k] != 0 {
				// declared twice, the walk writes it twice: no
				// argument of this code is in rank, and it keeps the walk
				jt.argRank[c] = [256]uint8{}
				break
			}
			jt.argRank[c][k] = uint8(i + 1)
		}
	}
	for v := range jt.eventHead {
		jt.eventHead[v] = `{"code":` + codeJSON[v] + `,"text":"`
		jt.from[v] = `,"from":` + roleJSON[v] + `,"events":[`
	}
	for c := range jt.statePair {
		for s := range jt.statePair[c] {
			jt.statePair[c][s] = `],"state":{"client":` + stateJSON[c] + `,"server":` + stateJSON[s] + `}`
		}
	}
	for r := range jt.stepHead {
		for s := range jt.stepHead[r] {
			jt.stepHead[r][s] = `{"role":` + roleJSON[r] + `,"to":` + stateJSON[s] + `,"how":`
		}
	}
	for h := range jt.stepTail {
		for w := range jt.stepTail[h] {
			s := howJSON[h]
			if fsm.Why(w) != fsm.WhyNone {
				s += `,"why":` + whyJSON[w]
			}
			jt.stepTail[h][w] = s + "}"
		}
	}
	for f := range jt.flagsDial {
		for d := range jt.flagsDial[f] {
			jt.flagsDial[f][d] = `,"tcp_flags":` + flagNamesJSON[f] + `,"dialect":` + dialectJSON[d]
		}
	}
}

// pairStates bounds the states jt.statePair holds: every state fsm has.
const pairStates = 16

// appendStatesJSON appends jt.statePair[client][server].
func appendStatesJSON(b []byte, after *[2]fsm.State) []byte {
	c, s := after[fsm.Client], after[fsm.Server]
	if c < pairStates && s < pairStates {
		return append(b, jt.statePair[c][s]...)
	}
	b = append(b, `],"state":{"client":`...)
	b = append(b, stateJSON[c]...)
	b = append(b, `,"server":`...)
	b = append(b, stateJSON[s]...)
	return append(b, '}')
}

// stepHows bounds the kinds of change jt.stepTail holds (fsm's howNames).
const stepHows = 4

// appendStep appends one state change object.
func appendStep(b []byte, role fsm.Role, st fsm.Step) []byte {
	if role <= fsm.Server && st.To < pairStates {
		b = append(b, jt.stepHead[role][st.To]...)
	} else {
		b = append(b, `{"role":`...)
		b = append(b, roleJSON[role]...)
		b = append(b, `,"to":`...)
		b = append(b, stateJSON[st.To]...)
		b = append(b, `,"how":`...)
	}
	if st.How < stepHows && st.Why < fsm.NumWhy {
		return append(b, jt.stepTail[st.How][st.Why]...)
	}
	b = append(b, howJSON[st.How]...)
	if st.Why != fsm.WhyNone {
		b = append(b, `,"why":`...)
		b = append(b, whyJSON[st.Why]...)
	}
	return append(b, '}')
}

// flagDialects bounds the dialects jt.flagsDial holds (grammar's three
// and the zero value).
const flagDialects = 4

// appendFlagsDialect appends jt.flagsDial[f][d].
func appendFlagsDialect(b []byte, f grammar.Flags, d grammar.Dialect) []byte {
	if int(f) < len(jt.flagsDial) && d < flagDialects {
		return append(b, jt.flagsDial[f][d]...)
	}
	b = append(b, `,"tcp_flags":`...)
	b = appendFlagNames(b, f)
	b = append(b, `,"dialect":`...)
	return append(b, dialectJSON[d]...)
}
