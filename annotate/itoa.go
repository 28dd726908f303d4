package annotate

import (
	"math"
	"math/bits"
	"slices"
)

// appendUint and appendInt are strconv.AppendUint and AppendInt in base
// 10, writing the digits straight into b. strconv formats into a buffer
// of its own and copies it: a JSON record has 10–40 numbers, and the copy
// was a third of the time spent on them.

// digitPairs holds "00" to "99".
const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// pow10 holds 10⁰ to 10¹⁹.
var pow10 = func() (t [20]uint64) {
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// decimalDigits is the number of decimal digits of v: log₁₀ from the bit
// length (1233/4096 ≈ log₁₀ 2), one too many at most, then corrected.
func decimalDigits(v uint64) int {
	n := (bits.Len64(v) * 1233) >> 12
	if v >= pow10[n] {
		n++
	}
	if n == 0 {
		return 1
	}
	return n
}

// tens and ones are the digits of 0 to 99 (the rest zero), indexed by a
// byte: the compiler then checks no bounds.
var tens, ones = func() (t, o [256]byte) {
	for i := 0; i < 100; i++ {
		t[i], o[i] = digitPairs[2*i], digitPairs[2*i+1]
	}
	return t, o
}()

func appendUint(b []byte, v uint64) []byte {
	if v < 10 {
		return append(b, byte('0'+v))
	}
	l := len(b)
	n := decimalDigits(v)
	// The digits are written from the last, two at a time, into a window
	// of 32 bytes, indexed modulo 32 (n ≤ 20): no zeroing, no bounds
	// checks.
	b = slices.Grow(b, 32)
	d := (*[32]byte)(b[l : l+32])
	i := uint(n)
	for v > math.MaxUint32 { // 11 digits or more: rare
		q := v / 100
		r := byte(v - 100*q)
		i -= 2
		d[i&31], d[(i+1)&31] = tens[r], ones[r]
		v = q
	}
	// 32-bit arithmetic for the rest: sequence numbers, windows, lengths
	u := uint32(v)
	for u >= 100 {
		q := u / 100
		r := byte(u - 100*q)
		i -= 2
		d[i&31], d[(i+1)&31] = tens[r], ones[r]
		u = q
	}
	if u >= 10 {
		d[0], d[1] = tens[byte(u)], ones[byte(u)]
	} else {
		d[0] = byte('0' + u)
	}
	return b[:l+n]
}

func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		return appendUint(append(b, '-'), uint64(-v)) // -MinInt64 wraps to its own magnitude
	}
	return appendUint(b, uint64(v))
}
