//go:build !js

package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// heapFloor is the heap the collector lets the program reach before it
// collects when little of it is live. With GOGC's default of 100 a run
// whose live heap is 10 MB collects every 10 MB allocated: on a
// 200,000-line render that is 8% of the program's instructions
// (callgrind, GOMAXPROCS=1: 2,021 M with GOGC=100, 1,902 M with 400, 1,860
// M with the collector off). So after every collection the percentage is
// set for a goal of heapFloor, or of twice the live heap when that is
// more (GOGC=100's own goal): a small run collects less often, and a
// large one exactly as before, so the peak on a large input (the
// 2M-packet capture's: 61 MiB when this was measured, 36 MiB since a
// closed connection's memory is reused, fsm/reuse.go) does not move, and
// no run's heap goal is above max(heapFloor, 2 × live).
const heapFloor = 40 << 20

// maxGCPercent bounds the percentage while the live heap is small. At it
// the collector's minimum goal (4 MB × GOGC/100, the runtime's) is
// heapFloor itself, so a run whose live heap is under 4 MB (just after
// start) still first collects at heapFloor.
const maxGCPercent = heapFloor / (4 << 20) * 100

// floorGC keeps the collector's goal at heapFloor or more, unless GOGC is
// set (then the user's choice stands). main calls it (a process-wide
// setting, kept out of run, which tests call in-process).
func floorGC(getenv func(string) string) {
	if getenv("GOGC") != "" {
		return
	}
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	var tune func()
	tune = func() {
		metrics.Read(sample)
		live := uint64(0)
		if sample[0].Value.Kind() == metrics.KindUint64 {
			live = sample[0].Value.Uint64()
		}
		debug.SetGCPercent(gcPercent(live))
		// again after the next collection: a finalizer runs once the
		// object it is set on is found unreachable, that is, once a
		// cycle has ended (an object of its own: a finalizer on one of
		// the runtime's tiny blocks, which hold small pointer-free
		// objects together, may never run)
		runtime.SetFinalizer(&gcSentinel{}, func(*gcSentinel) { tune() })
	}
	tune()
}

// gcSentinel is the object whose finalizer retunes the collector. It
// holds a pointer so that it is not allocated in a tiny block.
type gcSentinel struct{ _ *byte }

// gcPercent is the GOGC whose goal for a live heap of live bytes is
// heapFloor, within [100, maxGCPercent].
func gcPercent(live uint64) int {
	if live == 0 {
		return maxGCPercent
	}
	p := int64(heapFloor*100/live) - 100
	return int(min(max(p, 100), maxGCPercent))
}
