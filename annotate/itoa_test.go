package annotate

import (
	"encoding/binary"
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

// TestEightDigits checks the lane arithmetic of eightDigits: every value
// of each 4-digit half beside the other half's extremes (the lanes are
// computed apart, so a carry between them would show there), and a
// spread of values besides.
func TestEightDigits(t *testing.T) {
	check := func(x uint32) {
		var w [8]byte
		for i, k := 7, x; i >= 0; i-- {
			w[i] = byte('0' + k%10)
			k /= 10
		}
		if got := eightDigits(x); got != binary.LittleEndian.Uint64(w[:]) {
			t.Fatalf("eightDigits(%d) = %x, want %q", x, got, w[:])
		}
	}
	for h := uint32(0); h < 10000; h++ {
		for _, o := range []uint32{0, 1, 4999, 9999} {
			check(h*10000 + o)
			check(o*10000 + h)
		}
	}
	for x := uint32(1); x < 100_000_000; x = x*7 + 3 {
		check(x)
		check(99_999_999 - x)
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
