package fsm

import (
	"hash/maphash"
	"unsafe"
)

// tombIndex finds a tomb's place in the expiry queue by its key. It is an
// open-addressing hash table (linear probing) of 8-byte slots, each the
// key's hash and the place; the keys themselves are in the tombs. A Go
// map[string]int32 takes 24 bytes a slot and keeps every connection's
// tomb when a trace is shorter than 2MSL: on the 2M-packet benchmark
// (123,439 tombs) this index holds them in 1 MB instead of about 6 MB.
type tombIndex struct {
	slots  []uint64 // hash<<32 | place; 0: empty (a hash is never 0)
	n      int
	seed   maphash.Seed
	seeded bool
}

// minTombSlots is the index's first size.
const minTombSlots = 64

func (x *tombIndex) hash(key string) uint32 {
	return uint32(maphash.String(x.seed, key)) | 1
}

// viewBytes is b read as a string, for a lookup that keeps nothing of it.
func viewBytes(b []byte) string {
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// find returns the slot of key, or of the empty slot where it would go.
func (x *tombIndex) find(key string, q *tombQueue) (slot int, found bool) {
	if len(x.slots) == 0 {
		return -1, false
	}
	h := x.hash(key)
	mask := len(x.slots) - 1
	for i := int(h) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return i, false
		}
		if uint32(s>>32) == h && q.at(uint32(s)).key == key {
			return i, true
		}
	}
}

// get returns the place of key's tomb.
func (x *tombIndex) get(key string, q *tombQueue) (uint32, bool) {
	i, ok := x.find(key, q)
	if !ok {
		return 0, false
	}
	return uint32(x.slots[i]), true
}

// set puts key's tomb at place, replacing the place it had.
func (x *tombIndex) set(key string, place uint32, q *tombQueue) {
	if (x.n+1)*4 > len(x.slots)*3 {
		x.resize()
	}
	i, ok := x.find(key, q)
	if !ok {
		x.n++
	}
	x.slots[i] = uint64(x.hash(key))<<32 | uint64(place)
}

// del removes key, if it is there: the slots after it that probed past it
// move back (backward-shift deletion, so no marker of a removal is left).
func (x *tombIndex) del(key string, q *tombQueue) {
	i, ok := x.find(key, q)
	if !ok {
		return
	}
	x.n--
	mask := len(x.slots) - 1
	x.slots[i] = 0
	for j := (i + 1) & mask; x.slots[j] != 0; j = (j + 1) & mask {
		home := int(x.slots[j]>>32) & mask
		// the entry at j may move to i when its home is not in (i, j]
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			x.slots[i], x.slots[j] = x.slots[j], 0
			i = j
		}
	}
}

// resize doubles the table (or makes the first one), keeping its entries.
func (x *tombIndex) resize() {
	n := 2 * len(x.slots)
	if n < minTombSlots {
		n = minTombSlots
	}
	x.init()
	old := x.slots
	x.slots = make([]uint64, n)
	x.place(old)
}

// init gives the index its seed, once.
func (x *tombIndex) init() {
	if !x.seeded {
		x.seed, x.seeded = maphash.MakeSeed(), true
	}
}

// place puts old's entries in the (empty) table.
func (x *tombIndex) place(old []uint64) {
	mask := len(x.slots) - 1
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := int(s>>32) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = s
	}
}

// rebuild indexes the tombs of q anew, after they moved (every one is
// live), in a table sized for them: it shrinks after a burst of tombs.
func (x *tombIndex) rebuild(q *tombQueue) {
	size := minTombSlots
	for q.len()*4 > size*3 {
		size *= 2
	}
	x.init()
	if len(x.slots) != size {
		x.slots = make([]uint64, size)
	} else {
		clear(x.slots)
	}
	x.n = 0
	mask := len(x.slots) - 1
	for k := 0; k < q.len(); k++ {
		p := q.first + uint32(q.head+k)
		h := x.hash(q.at(p).key)
		i := int(h) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = uint64(h)<<32 | uint64(p)
		x.n++
	}
}
