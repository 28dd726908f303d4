package main

import (
	"time"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The streaming formats (text, JSON) run in three stages, each on a
// goroutine of its own: reading and parsing (reader.go), tracking (here),
// writing (pipeline.annotate). A batch of records goes through them in
// turn. The tracker leaves in the batch what the writer needs, copied:
// each Result with its events, each connection's exported fields as a
// fsm.Conn snapshot, and the summaries that fell due, in the order they
// are to be written. The writer reads nothing else of the tracker, so the
// two never share memory that changes. The other formats and --lint keep
// tracking and writing on one goroutine (they hold on to what they are
// given, and are not where a live pipe spends its time); they go through
// the same two steps, record by record.

// tracked is what the tracker made of a batch's records.
type tracked struct {
	items  []item
	res    []fsm.Result
	events []fsm.Event
	sums   []fsm.Summary
	// conns are the connections' snapshots (fsm.Conn.SnapshotInto) the
	// results point to, one a record: written over when the batch comes
	// round again, so a packet costs no snapshot on the heap (a Conn is
	// 480 bytes). No writer keeps a Result's Conn past its Record call.
	conns []fsm.Conn
}

// item is one thing for the writer: a record (rec ≥ 0; res < 0 when it
// is not a TCP segment) or a summary (rec < 0).
type item struct {
	rec, res, sum int32
}

func (w *tracked) reset() {
	w.items, w.res, w.events, w.sums = w.items[:0], w.res[:0], w.events[:0], w.sums[:0]
	if poisonSlots {
		for i := range w.conns {
			w.conns[i] = fsm.Conn{ID: -1, Client: "poisoned", Server: "poisoned"}
		}
	}
	w.conns = w.conns[:0]
}

// poisonSlots makes reset write over the snapshot slots it frees, so that
// a writer that kept a Result's Conn past its batch would write the
// poison (TestSnapshotSlotsNotKept).
var poisonSlots bool

// snapshot returns the next snapshot slot. A slot past the length is
// reused as it is, not zeroed: only SnapshotInto ever wrote it, and it
// writes every field a snapshot has. (When the slots move, to grow, the
// results made before point into the old array, which stays theirs.)
func (w *tracked) snapshot() *fsm.Conn {
	n := len(w.conns)
	w.conns = room(w.conns, 1, firstRecs)[:n+1]
	return &w.conns[n]
}

// track runs the tracker over record i of b and appends what is to be
// written to b.work.
func (p *pipeline) track(b *batch, i int) {
	rec := &b.recs[i]
	w := &b.work
	p.kinds.see(rec)
	it := item{rec: int32(i), res: -1}
	if rec.Kind == grammar.TCP {
		// the Result goes straight into the batch, for the writer
		r, events, conns := len(w.res), len(w.events), len(w.conns)
		w.res = append(room(w.res, 1, firstRecs), fsm.Result{})
		// (ProcessTo appends past the arena's room by doubling)
		w.events = room(w.events, 16, firstEvents)
		conn := p.tracker.ProcessTo(&rec.Packet, rec.Line, &w.res[r], &w.events, w.snapshot())
		switch {
		case conn == nil:
			w.res, w.conns = w.res[:r], w.conns[:conns]
		case p.sel != nil && !p.sel.match(conn):
			w.res, w.events, w.conns = w.res[:r], w.events[:events], w.conns[:conns]
			p.dueInto(w, p.tracker.Due())
			return // another connection's segment: --conn leaves it out
		default:
			it.res = int32(r)
			if p.stats != nil {
				// the live connection: --stats reads it again at the end
				live := w.res[r]
				live.Conn = conn
				p.stats.Record(rec, &live)
			}
		}
	} else {
		p.tracker.Other(rec.Raw) // an elision line: claims after it are unproven
	}
	w.items = append(room(w.items, 1, firstRecs), it)
	p.dueInto(w, p.tracker.Due())
}

// dueInto adds the summaries of the connections that fell due.
func (p *pipeline) dueInto(w *tracked, conns []*fsm.Conn) {
	if !p.summaries && p.stats == nil {
		return
	}
	for _, c := range conns {
		if p.sel != nil && !p.sel.match(c) {
			continue
		}
		s := c.Summary()
		if p.stats != nil {
			p.stats.Summary(&s) // --stats
		}
		if !p.summaries {
			continue
		}
		// a summary's snapshot is its own: the documents keep
		// summaries to the end, past the batch (one a connection)
		s.Conn = new(fsm.Conn)
		c.SnapshotInto(s.Conn)
		w.items = append(w.items, item{rec: -1, sum: int32(len(w.sums))})
		w.sums = append(w.sums, s)
	}
}

// write writes b's items; it reports false when the output failed
// (p.fail has recorded why).
func (p *pipeline) write(b *batch) bool {
	w := &b.work
	for _, it := range w.items {
		var err error
		switch {
		case it.rec < 0:
			err = p.f.Summary(&w.sums[it.sum])
		case it.res < 0:
			err = p.f.Record(&b.recs[it.rec], nil)
		default:
			err = p.f.Record(&b.recs[it.rec], &w.res[it.res])
		}
		if err != nil {
			p.fail(err)
			return false
		}
	}
	return true
}

// trackStage is the tracker on a goroutine of its own, between the reader
// and the writer.
type trackStage struct {
	out  chan *batch
	stop chan struct{}
}

// trackRecords starts tracking the batches rr reads.
func (p *pipeline) trackRecords(rr *recordReader) *trackStage {
	ts := &trackStage{out: make(chan *batch, batches), stop: make(chan struct{})}
	go func() {
		defer close(ts.out)
		for {
			var b *batch
			t0 := stageIdle.start()
			select {
			case b = <-rr.full:
				stageIdle.add(waitTrack, t0)
			case <-ts.stop:
				rr.close()
				return
			}
			if b == nil {
				return // the input ended (its last batch went before)
			}
			b.work.reset()
			for i := range b.recs {
				p.track(b, i)
			}
			t1 := stageIdle.start()
			select {
			case ts.out <- b:
				stageIdle.add(waitTrack, t1)
			case <-ts.stop:
				rr.close()
				return
			}
		}
	}()
	return ts
}

// next returns the next tracked batch, or nil at the end.
func (ts *trackStage) next() *batch { return <-ts.out }

// close stops tracking and reading early (the output went away).
func (ts *trackStage) close() {
	close(ts.stop)
	for range ts.out {
	}
}

// oneGoroutine makes every format track and write on one goroutine: the
// tests set it to check the stages against it (stages_test.go).
var oneGoroutine bool

// streams reports whether a format writes each record as it comes, so
// that it can be written on a goroutine of its own (see above).
func streams(format string) bool {
	switch format {
	case "text", "json", "jsonl":
		return true
	}
	return false
}

// stageIdle, when not nil, gathers how long each stage of the streaming
// formats waited for a batch to work on, or for room to pass one on
// (BenchmarkPipelineStages). A stage that seldom waits is the one that
// bounds the wall clock: on two cores, the tracker's for text, while JSON
// keeps both cores busy (docs/benchmarks.md, eighth pass). Each stage adds to
// its own field, on its own goroutine; they are read after the run, which
// the stages' channels order after every addition.
var stageIdle *stageWaits

// stageWaits is the time each stage spent waiting, by stage.
type stageWaits [3]time.Duration

// The stages, as stageWaits counts them.
const (
	waitRead = iota
	waitTrack
	waitWrite
)

// start returns the time a wait starts, or the zero time when nothing is
// measured (s is nil): no clock is read then.
func (s *stageWaits) start() time.Time {
	if s == nil {
		return time.Time{}
	}
	return time.Now()
}

// add adds the wait since t0 to a stage's.
func (s *stageWaits) add(stage int, t0 time.Time) {
	if s != nil {
		s[stage] += time.Since(t0)
	}
}
