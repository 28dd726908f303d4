package fsm

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestTombIndexMatchesMap drives the index and the queue beside a Go map
// through the same random sets, deletions, expiries and compactions, over
// few keys (long probe runs, deletions in the middle of them), with places
// starting at 0 and just before they wrap at 2^32, and checks every key
// after each step.
func TestTombIndexMatchesMap(t *testing.T) {
	for _, first := range []uint32{0, 1<<32 - 3000} {
		t.Run(fmt.Sprint(first), func(t *testing.T) { tombIndexMatchesMap(t, first) })
	}
}

func tombIndexMatchesMap(t *testing.T, first uint32) {
	rng := rand.New(rand.NewSource(1))
	var x tombIndex
	q := tombQueue{first: first}
	want := map[string]uint32{}
	keys := make([]string, 300)
	for i := range keys {
		keys[i] = fmt.Sprintf("10.0.%d.%d.%d\x0010.0.0.1.80", i/250, i%250, 1024+i)
	}
	for step := 0; step < 20000; step++ {
		k := keys[rng.Intn(len(keys))]
		switch op := rng.Intn(20); {
		case op < 10: // a tomb for k at the end of the queue
			if p, ok := want[k]; ok {
				q.at(p).dead = true
			}
			p := q.push(tomb{key: k})
			x.set(k, p, &q)
			want[k] = p
		case op < 16:
			if p, ok := want[k]; ok {
				q.at(p).dead = true
			}
			x.del(k, &q)
			delete(want, k)
		case op < 19: // the oldest leaves, as at expiry
			if _, tb, ok := q.front(); ok {
				if !tb.dead {
					x.del(tb.key, &q)
					delete(want, tb.key)
				}
				q.pop()
			}
		default: // compact, as table.compactTombs does
			q.compact(func() {})
			x.rebuild(&q)
			for k := 0; k < q.len(); k++ {
				p := q.first + uint32(q.head+k)
				want[q.at(p).key] = p
			}
		}
		if x.n != len(want) {
			t.Fatalf("step %d: %d entries, want %d", step, x.n, len(want))
		}
		for _, k := range keys {
			p, ok := x.get(k, &q)
			wp, wok := want[k]
			if ok != wok || ok && (p != wp || q.at(p).key != k || q.at(p).dead) {
				t.Fatalf("step %d: %q at %d %v, want %d %v", step, k, p, ok, wp, wok)
			}
		}
	}
}
