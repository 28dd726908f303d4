package main

import (
	"bytes"
	"io"
	"slices"

	"github.com/tcpnote/tcpnote/grammar"
)

// The reader reads and parses records (grammar) on a goroutine of its
// own; the tracker (fsm) and the writer (annotate) follow, on one more
// goroutine each for the streaming formats (track.go). Records travel in
// batches that own copies of their bytes, so the Scanner can go on reusing
// its buffers.

// batchSize and batchBytes bound a batch: 512 records, or as many as hold
// 1 MiB of text (one piece of a long line, grammar.MaxLineBytes, may take
// it past that). On a live input a batch is also sent as soon as no more
// input is waiting, so a live pipe is never held back. Five batches
// circulate, and each channel between stages holds all of them, so a
// stage seldom waits to be woken. Deeper queues and fuller batches made
// the pipeline faster (docs/benchmarks.md, fourth pass): on the
// 200,000-packet genpcap render (-nn -S, GOMAXPROCS=2, in-process, the
// best of 2–4 runs) 256 records and 4 batches took 777 ns a line for text
// and 956 for JSON, 512 and 8 take 561 and 705. On the 2M-packet capture
// (best of 3), 512 × 8 took 1.30 s text and 1.59 s JSON but a peak RSS of
// 67 MiB, over the 64 MB the benchmark allows; 512 × 5 takes 1.31 s and
// 1.66 s at 61 MiB.
const (
	batchSize  = 512
	batchBytes = 1 << 20
	batches    = 5
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
	// work is what the tracker made of the records, for the writer
	// (track.go).
	work tracked
}

// room returns s with room for n more elements: first of them at
// first, then four times the capacity each time it is full. Each
// outgrown copy is left behind as garbage, in pages touched once (a
// page fault of a few microseconds each, and a 200,000-packet run does
// not collect: docs/benchmarks.md, seventh pass); growing by four leaves
// a third of the final size behind where doubling from nothing left all
// of it. (Full-sized batches made up front cost every run 6.7 MB to
// zero, which small inputs run in-process paid: the tests, the fuzz
// targets, the web page.)
func room[T any](s []T, n, first int) []T {
	if cap(s)-len(s) >= n {
		return s
	}
	want := max(first, 4*cap(s), len(s)+n)
	return slices.Grow(s, want-len(s))
}

// The first capacities of a batch's slices (room): 32 records, and for
// them typical lines' 3–4 options a packet, 2 events (4 under -v, which
// grow once more), 170–300 bytes of text.
const (
	firstRecs   = 32
	firstOpts   = 4 * firstRecs
	firstRaw    = 8 << 10
	firstEvents = 2 * firstRecs
)

func (b *batch) reset() {
	if cap(b.raw) > 4*batchBytes {
		b.raw = nil // after a long line: give its memory back
	}
	b.recs, b.raw, b.opts = b.recs[:0], b.raw[:0], b.opts[:0]
	b.idle, b.last, b.err = false, false, nil
}

// scan reads the next record from s straight into the batch's next slot
// (ScanInto: the record is not made in the Scanner and then copied), its
// options straight into the spare room of the batch's, and reports
// whether there was one.
func (b *batch) scan(s *grammar.Scanner) bool {
	n := len(b.recs)
	b.recs = room(b.recs, 1, firstRecs)[:n+1]
	r := &b.recs[n]
	// (the slot's own options are an earlier batch's, in b.opts: never
	// to be appended to)
	b.opts = room(b.opts, 16, firstOpts)
	o := len(b.opts)
	r.Packet.Options = b.opts[o:o:cap(b.opts)]
	if !s.ScanInto(r) {
		b.recs = b.recs[:n]
		return false
	}
	b.keep(r, o)
	return true
}

// keep copies the bytes the batch's record r refers to, the Scanner's,
// into the batch, and points r at the copies: the Scanner reuses its
// buffers at its next scan. r's options are kept where they are when they
// were made in b.opts after its first o (ScanInto appends them to the
// room scan gave it), and copied there otherwise (they outgrew it).
func (b *batch) keep(r *grammar.Record, o int) {
	raw, praw := r.Raw, r.Packet.Raw
	off := len(b.raw)
	b.raw = append(room(b.raw, len(raw), firstRaw), raw...)
	r.Raw = b.raw[off:len(b.raw):len(b.raw)]
	if r.Kind != grammar.TCP {
		r.Packet = grammar.Packet{}
		return
	}
	r.Packet.Raw = r.Raw
	if !sameBytes(praw, raw) && !bytes.Equal(praw, raw) {
		// a quoted or soft-broken join is parsed from its own text
		off := len(b.raw)
		b.raw = append(room(b.raw, len(praw), firstRaw), praw...)
		r.Packet.Raw = b.raw[off:len(b.raw):len(b.raw)]
		r.Raw = b.raw[off-len(raw) : off : off]
	}
	opts := r.Packet.Options
	if k := len(opts); k > 0 && o+k <= cap(b.opts) && &b.opts[:o+1][o] == &opts[0] {
		b.opts = b.opts[:o+k]
	} else {
		b.opts = append(room(b.opts, len(opts), firstOpts), opts...)
	}
	r.Packet.Options = b.opts[o:len(b.opts):len(b.opts)]
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
	rr := &recordReader{full: make(chan *batch, batches), free: make(chan *batch, batches), stop: make(chan struct{})}
	for i := 0; i < batches; i++ {
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
	for b.scan(s) {
		// A live input (a pipe, a terminal) that has nothing more waiting
		// gets its batch sent now; a file's batches are sent full: a
		// stage that waits for a batch is woken, which costs more than
		// the records of a short batch take to track.
		idle := live && !s.Buffered()
		if !idle && !perRecord && len(b.recs) < batchSize && len(b.raw) < batchBytes {
			continue
		}
		b.idle = idle
		if !rr.send(b) {
			return
		}
		t0 := stageIdle.start()
		select {
		case b = <-rr.free:
			stageIdle.add(waitRead, t0)
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
