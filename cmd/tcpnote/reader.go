package main

import (
	"bytes"
	"io"

	"github.com/tcpnote/tcpnote/fsm"
	"github.com/tcpnote/tcpnote/grammar"
)

// The work is split over three goroutines, so that it spreads over the
// cores there are: one reads and parses records (grammar), one follows
// connections (fsm, pipeline.track), the caller's words and writes them
// (annotate). Records travel in batches that own copies of their bytes,
// so the Scanner can go on reusing its buffers; the tracker's results
// travel in a tracked batch beside them (the Tracker reuses its Result).

// batchSize and batchBytes bound a batch: 256 records, or as many as hold
// 1 MiB of text (one piece of a long line, grammar.MaxLineBytes, may take
// it past that). A batch is also sent as soon as no more input is waiting,
// so a live pipe is never held back. With numBatches batches, the memory
// of records in flight is a few MiB whatever the lines.
const (
	batchSize  = 256
	batchBytes = 1 << 20
	// numBatches: one being read, one waiting for the tracker, one being
	// tracked, one waiting for the formatter, one being written.
	numBatches = 5
)

// batch is a run of records with the bytes they refer to.
type batch struct {
	recs []grammar.Record
	raw  []byte           // the records' text
	opts []grammar.Option // the packets' options
	// idle is set when no more input was waiting after the last record:
	// the output should be flushed.
	idle bool
	// last is set on the final batch of the input, with err its read error.
	last bool
	err  error
}

func (b *batch) reset() {
	if cap(b.raw) > 4*batchBytes {
		b.raw = nil // after a long line: give its memory back
	}
	b.recs, b.raw, b.opts = b.recs[:0], b.raw[:0], b.opts[:0]
	b.idle, b.last, b.err = false, false, nil
}

// add copies a record into the batch.
func (b *batch) add(rec *grammar.Record) {
	r := *rec
	off := len(b.raw)
	b.raw = append(b.raw, rec.Raw...)
	r.Raw = b.raw[off:len(b.raw):len(b.raw)]
	if r.Kind == grammar.TCP {
		r.Packet.Raw = r.Raw
		if !sameBytes(rec.Packet.Raw, rec.Raw) && !bytes.Equal(rec.Packet.Raw, rec.Raw) {
			// a quoted or soft-broken join is parsed from its own text
			off := len(b.raw)
			b.raw = append(b.raw, rec.Packet.Raw...)
			r.Packet.Raw = b.raw[off:len(b.raw):len(b.raw)]
			r.Raw = b.raw[off-len(rec.Raw) : off : off]
		}
		o := len(b.opts)
		b.opts = append(b.opts, rec.Packet.Options...)
		r.Packet.Options = b.opts[o:len(b.opts):len(b.opts)]
	} else {
		r.Packet = grammar.Packet{}
	}
	b.recs = append(b.recs, r)
}

// sameBytes reports whether a and b are the same bytes in memory.
func sameBytes(a, b []byte) bool {
	return len(a) == len(b) && (len(a) == 0 || &a[0] == &b[0])
}

// recordReader reads records in a goroutine of its own.
type recordReader struct {
	full chan *batch
	free chan *batch
	stop chan struct{}
}

// readRecords starts reading r. perRecord sends every record alone (for
// --line-buffered); live says r may pause (a pipe, a terminal), so a record
// that might continue is let go after an idle.
func readRecords(r io.Reader, perRecord, live bool) *recordReader {
	rr := &recordReader{full: make(chan *batch, 1), free: make(chan *batch, numBatches), stop: make(chan struct{})}
	for i := 0; i < numBatches; i++ {
		rr.free <- &batch{}
	}
	go rr.run(r, perRecord, live)
	return rr
}

func (rr *recordReader) run(r io.Reader, perRecord, live bool) {
	defer close(rr.full)
	s := grammar.NewScanner(r)
	if live {
		s = grammar.NewLiveScanner(r, grammar.DefaultIdle)
	}
	var b *batch
	select {
	case b = <-rr.free:
	case <-rr.stop:
		return
	}
	for s.Scan() {
		b.add(s.Record())
		idle := !s.Buffered()
		if !idle && !perRecord && len(b.recs) < batchSize && len(b.raw) < batchBytes {
			continue
		}
		b.idle = idle
		if !rr.send(b) {
			return
		}
		select {
		case b = <-rr.free:
			b.reset()
		case <-rr.stop:
			return
		}
	}
	b.last, b.err, b.idle = true, s.Err(), true
	rr.send(b)
}

func (rr *recordReader) send(b *batch) bool {
	select {
	case rr.full <- b:
		return true
	case <-rr.stop:
		return false
	}
}

// next returns the next batch, or nil at the end.
func (rr *recordReader) next() *batch { return <-rr.full }

// recycle gives a batch back once its records have been used.
func (rr *recordReader) recycle(b *batch) { rr.free <- b }

// close stops the reader early (the output went away).
func (rr *recordReader) close() {
	close(rr.stop)
	for range rr.full {
	}
}

// tracked is a batch of records with what the tracker made of them: the
// formatter's work, in input order. The results are copies, their events
// and connections in arenas of the batch's own.
type tracked struct {
	in     *batch
	ops    []op
	events []fsm.Event
	// conns are the connections as they were at each op: the fields
	// the formatters read (annotate reads only exported fields of a
	// Conn), while the tracker goes on changing its own.
	conns []fsm.Conn
	sums  []fsm.Summary
}

// op is one call of the formatter: Record (sum < 0) or Summary.
type op struct {
	rec        int32 // index in in.recs
	sum        int32 // index in sums, or -1
	conn       int32 // index in conns, or -1 (a record that is no segment)
	evLo, evHi int32 // the result's events in events
	res        fsm.Result
}

func (t *tracked) reset(b *batch) {
	t.in = b
	t.ops, t.events = t.ops[:0], t.events[:0]
	for i := range t.conns {
		t.conns[i].Client, t.conns[i].Server = "", "" // let their strings go
	}
	t.conns = t.conns[:0]
	clear(t.sums) // the summaries' strings go
	t.sums = t.sums[:0]
}

// snapshot appends a copy of a connection's exported fields. A Conn is a
// few hundred bytes: only those fields are written, into a slot that
// keeps its zero rest from batch to batch, and the same connection twice
// in a row shares one copy.
func (t *tracked) snapshot(c *fsm.Conn) int32 {
	n := len(t.conns)
	if n > 0 {
		if s := &t.conns[n-1]; s.ID == c.ID && s.Client == c.Client && s.Server == c.Server &&
			s.Simultaneous == c.Simultaneous && s.Midstream == c.Midstream && s.Self == c.Self {
			return int32(n - 1)
		}
	}
	if n < cap(t.conns) {
		t.conns = t.conns[:n+1]
	} else {
		t.conns = append(t.conns, fsm.Conn{})
	}
	s := &t.conns[n]
	s.ID, s.Client, s.Server = c.ID, c.Client, c.Server
	s.Simultaneous, s.Midstream, s.Self = c.Simultaneous, c.Midstream, c.Self
	return int32(n)
}

// newOp appends an op and returns it, written in place (an op holds a
// Result: a few hundred bytes).
func (t *tracked) newOp() *op {
	if n := len(t.ops); n < cap(t.ops) {
		t.ops = t.ops[:n+1]
	} else {
		t.ops = append(t.ops, op{})
	}
	return &t.ops[len(t.ops)-1]
}

// record adds the Record of b.recs[i] with its result (nil: no segment).
func (t *tracked) record(i int, res *fsm.Result) {
	o := t.newOp()
	o.rec, o.sum, o.conn = int32(i), -1, -1
	if res != nil {
		o.res = *res
		o.res.Conn, o.res.Events = nil, nil
		o.conn = t.snapshot(res.Conn)
		o.evLo = int32(len(t.events))
		t.events = append(t.events, res.Events...)
		o.evHi = int32(len(t.events))
	}
}

// summary adds the Summary of a connection.
func (t *tracked) summary(c *fsm.Conn) {
	t.sums = append(t.sums, c.Summary())
	conn := t.snapshot(c)
	o := t.newOp()
	o.rec, o.sum, o.conn = 0, int32(len(t.sums)-1), conn
}

// result returns op o's result for the formatter, or nil.
func (t *tracked) result(o *op) *fsm.Result {
	if o.conn < 0 {
		return nil
	}
	o.res.Conn = &t.conns[o.conn]
	o.res.Events = t.events[o.evLo:o.evHi:o.evHi]
	return &o.res
}
