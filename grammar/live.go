package grammar

import (
	"bytes"
	"io"
	"time"
)

// A live input (a pipe from `tcpdump -l`) pauses between bursts of packets.
// The Scanner reads a line ahead only to learn whether it continues the
// record before it (a -v header's TCP line, a hard-wrapped paste); on a live
// input it must not wait for that line beyond a short idle, or the last
// packet of every burst would wait for the next burst. liveReader lets the
// Scanner ask "will more input come within d?" without blocking longer.

// DefaultIdle is how long a live Scanner waits for a possible continuation
// line before it lets the record go: far longer than tcpdump takes between
// the two lines of one packet, far shorter than a person notices.
const DefaultIdle = 20 * time.Millisecond

// NewLiveScanner returns a Scanner for an input that may pause. It reads
// ahead at most idle beyond what is already waiting: a record that might
// continue on the next line is let go when no line comes within idle.
func NewLiveScanner(r io.Reader, idle time.Duration) *Scanner {
	lr := newLiveReader(r)
	s := NewScanner(lr)
	s.live, s.idle = lr, idle
	return s
}

// liveReader reads its source in a goroutine of its own, so that a reader
// can wait for input with a time limit.
type liveReader struct {
	chunks chan chunk
	free   chan []byte
	cur    []byte // the unread part of the chunk being read
	buf    []byte // that chunk's buffer, to give back
	err    error  // the source's error, once met
	timer  *time.Timer
}

type chunk struct {
	b   []byte
	err error
}

const liveChunk = 32 << 10

func newLiveReader(r io.Reader) *liveReader {
	l := &liveReader{chunks: make(chan chunk, 2), free: make(chan []byte, 3)}
	for i := 0; i < 3; i++ {
		l.free <- make([]byte, liveChunk)
	}
	go l.pump(r)
	return l
}

// pump copies the source into chunks until its first error. It blocks in
// the source's Read when nothing comes; it ends with the process when the
// Scanner is abandoned.
func (l *liveReader) pump(r io.Reader) {
	for {
		buf := <-l.free
		n, err := r.Read(buf[:cap(buf)])
		if n > 0 || err != nil {
			l.chunks <- chunk{buf[:n], err}
		} else {
			l.free <- buf
		}
		if err != nil {
			return
		}
	}
}

// take makes c the chunk being read.
func (l *liveReader) take(c chunk) {
	if l.buf != nil {
		l.free <- l.buf
	}
	l.buf, l.cur = c.b, c.b
	if c.err != nil {
		l.err = c.err
	}
}

// Read implements io.Reader.
func (l *liveReader) Read(p []byte) (int, error) {
	for len(l.cur) == 0 {
		if l.err != nil {
			return 0, l.err
		}
		l.take(<-l.chunks)
	}
	n := copy(p, l.cur)
	l.cur = l.cur[n:]
	return n, nil
}

// ready reports whether input is waiting, or arrives within d (the end of
// the input counts as input: reading it does not block).
func (l *liveReader) ready(d time.Duration) bool {
	if len(l.cur) > 0 || l.err != nil {
		return true
	}
	select {
	case c := <-l.chunks:
		l.take(c)
		return true
	default:
	}
	if l.timer == nil {
		l.timer = time.NewTimer(d)
	} else {
		l.timer.Reset(d)
	}
	select {
	case c := <-l.chunks:
		l.timer.Stop()
		l.take(c)
		return true
	case <-l.timer.C:
		return false
	}
}

// lineReady reports whether reading one more line will not wait on a live
// input for longer than the idle: a whole line is buffered, or more input
// arrives within the idle. Any other input never waits.
func (s *Scanner) lineReady() bool {
	if s.live == nil || s.eof {
		return true
	}
	if s.lineBuffered() {
		return true
	}
	return s.live.ready(s.idle)
}

// lineBuffered reports whether a whole line is already in the buffer.
func (s *Scanner) lineBuffered() bool {
	n := s.r.Buffered()
	if n == 0 {
		return false
	}
	b, _ := s.r.Peek(n)
	return bytes.IndexByte(b, '\n') >= 0
}
