package fsm

// tombQueue holds the tombs in order of closing, in blocks of
// tombBlockLen: a queue of a hundred thousand tombs never moves to a new,
// larger array as a slice's append would (8 MB allocated at once, counted
// live by a collection running meanwhile, and the old array's with it),
// and it keeps no more than one block beyond its entries.
//
// A place is a tomb's number in the order it joined, modulo 2^32: the
// index keeps it in 32 bits, and the queue never holds 2^32 entries.
type tombQueue struct {
	blocks []*tombBlock
	first  uint32 // the place of blocks[0][0]
	head   int    // entries of blocks[0] before it are spent
	n      int    // entries from blocks[0][0], spent ones included
	spare  *tombBlock
}

const tombBlockLen = 256

type tombBlock [tombBlockLen]tomb

// len returns the entries held, dead ones included.
func (q *tombQueue) len() int { return q.n - q.head }

// at returns the tomb at place p.
func (q *tombQueue) at(p uint32) *tomb {
	i := int(p - q.first)
	return &q.blocks[i/tombBlockLen][i%tombBlockLen]
}

// push appends a tomb and returns its place.
func (q *tombQueue) push(tb tomb) uint32 {
	if q.n == len(q.blocks)*tombBlockLen {
		b := q.spare
		q.spare = nil
		if b == nil {
			b = new(tombBlock)
		}
		q.blocks = append(q.blocks, b)
	}
	*q.at(q.first + uint32(q.n)) = tb
	q.n++
	return q.first + uint32(q.n-1)
}

// front returns the oldest entry, dead or not; ok is false when the queue
// is empty.
func (q *tombQueue) front() (p uint32, tb *tomb, ok bool) {
	if q.head == q.n {
		return 0, nil, false
	}
	p = q.first + uint32(q.head)
	return p, q.at(p), true
}

// pop drops the oldest entry; a block left empty goes (one is kept).
func (q *tombQueue) pop() {
	*q.at(q.first + uint32(q.head)) = tomb{}
	q.head++
	if q.head == tombBlockLen {
		q.release(q.blocks[0])
		q.blocks[0] = nil
		q.blocks = q.blocks[1:]
		q.first += tombBlockLen
		q.head -= tombBlockLen
		q.n -= tombBlockLen
	}
	if q.head == q.n {
		// empty: start again at the front of the first block
		q.first += uint32(q.head)
		q.head, q.n = 0, 0
	}
}

func (q *tombQueue) release(b *tombBlock) {
	if q.spare == nil {
		q.spare = b
	}
}

// compact moves the live entries to the front, in order, and drops the
// blocks left empty; the places change (the index is rebuilt after). It
// calls step for each entry it looks at.
func (q *tombQueue) compact(step func()) {
	w := 0
	for i := q.head; i < q.n; i++ {
		step()
		tb := &q.blocks[i/tombBlockLen][i%tombBlockLen]
		if tb.dead {
			*tb = tomb{}
			continue
		}
		if w != i {
			q.blocks[w/tombBlockLen][w%tombBlockLen] = *tb
			*tb = tomb{}
		}
		w++
	}
	keep := (w + tombBlockLen - 1) / tombBlockLen
	for i := keep; i < len(q.blocks); i++ {
		q.release(q.blocks[i])
		q.blocks[i] = nil
	}
	q.blocks = q.blocks[:keep]
	q.head, q.n = 0, w
}
