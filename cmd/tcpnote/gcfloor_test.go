//go:build !js

package main

import "testing"

// TestGCPercent: the goal gcPercent gives, live × (1 + p/100), is
// heapFloor while the live heap is between heapFloor/11 and heapFloor/2,
// twice the live heap past that (GOGC=100), and the percentage stays
// within [100, maxGCPercent].
func TestGCPercent(t *testing.T) {
	const mb = 1 << 20
	for _, tc := range []struct {
		live uint64
		want int
	}{
		{0, maxGCPercent}, {1 * mb, maxGCPercent}, {3 * mb, maxGCPercent},
		{4 * mb, 900}, {8 * mb, 400}, {10 * mb, 300}, {16 * mb, 150},
		{20 * mb, 100}, {25 * mb, 100}, {500 * mb, 100},
	} {
		if got := gcPercent(tc.live); got != tc.want {
			t.Errorf("gcPercent(%d MiB) = %d, want %d", tc.live/mb, got, tc.want)
		}
	}
	for live := uint64(4 * mb); live < heapFloor/2; live += mb / 3 {
		goal := live + live*uint64(gcPercent(live))/100
		if goal > heapFloor || goal < heapFloor-live/100-1 {
			t.Errorf("live %d: goal %d, want about %d", live, goal, heapFloor)
		}
	}
}
