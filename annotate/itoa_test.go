package annotate

import (
	"math"
	"strconv"
	"testing"
)

// TestAppendUintInt checks appendUint and appendInt against strconv at
// every power of ten and its neighbours, the extremes, and a spread of
// values, appended after existing bytes.
func TestAppendUintInt(t *testing.T) {
	var us []uint64
	for p := uint64(1); ; p *= 10 {
		us = append(us, p-1, p, p+1)
		if p > math.MaxUint64/10 {
			break
		}
	}
	us = append(us, 0, 99, 100, 4294967295, math.MaxUint64, math.MaxUint64-1)
	for x := uint64(1); x < math.MaxUint64/3; x = x*3 + 7 {
		us = append(us, x)
	}
	for _, u := range us {
		if got, want := string(appendUint([]byte("x"), u)), "x"+strconv.FormatUint(u, 10); got != want {
			t.Errorf("appendUint(%d) = %q, want %q", u, got, want)
		}
		for _, i := range []int64{int64(u), -int64(u)} {
			if got, want := string(appendInt([]byte("y"), i)), "y"+strconv.FormatInt(i, 10); got != want {
				t.Errorf("appendInt(%d) = %q, want %q", i, got, want)
			}
		}
	}
	for _, i := range []int64{math.MinInt64, math.MaxInt64, -1, 0} {
		if got, want := string(appendInt(nil, i)), strconv.FormatInt(i, 10); got != want {
			t.Errorf("appendInt(%d) = %q, want %q", i, got, want)
		}
	}
}

// BenchmarkAppendUint is a JSON record's kind of numbers: sequence
// numbers, windows, lengths.
func BenchmarkAppendUint(b *testing.B) {
	buf := make([]byte, 0, 64)
	for i := 0; i < b.N; i++ {
		buf = appendUint(appendUint(appendUint(buf[:0], 3911281377), 64240), 0)
	}
}
