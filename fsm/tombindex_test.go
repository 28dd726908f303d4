package fsm

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestTombIndexMatchesMap drives the index and a Go map through the same
// random sets, deletions and rebuilds, over few keys (long probe runs,
// deletions in the middle of them) and checks every key after each step.
func TestTombIndexMatchesMap(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	var x tombIndex
	var q []tomb
	want := map[string]int32{}
	keys := make([]string, 300)
	for i := range keys {
		keys[i] = fmt.Sprintf("10.0.%d.%d.%d\x0010.0.0.1.80", i/250, i%250, 1024+i)
	}
	for step := 0; step < 20000; step++ {
		k := keys[rng.Intn(len(keys))]
		switch op := rng.Intn(10); {
		case op < 5: // a tomb for k at the end of the queue
			if p, ok := want[k]; ok {
				q[p].dead = true
			}
			x.set(k, int32(len(q)), q)
			q = append(q, tomb{key: k})
			want[k] = int32(len(q) - 1)
		case op < 9:
			if p, ok := want[k]; ok {
				q[p].dead = true
			}
			x.del(k, q)
			delete(want, k)
		default: // compact, as table.compactTombs does
			live := q[:0]
			for _, tb := range q {
				if !tb.dead {
					want[tb.key] = int32(len(live))
					live = append(live, tb)
				}
			}
			q = live
			x.rebuild(q)
		}
		if x.n != len(want) {
			t.Fatalf("step %d: %d entries, want %d", step, x.n, len(want))
		}
		for _, k := range keys {
			p, ok := x.get(k, q)
			wp, wok := want[k]
			if ok != wok || ok && p != wp {
				t.Fatalf("step %d: %q at %d %v, want %d %v", step, k, p, ok, wp, wok)
			}
		}
	}
}
