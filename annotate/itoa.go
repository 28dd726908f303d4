package annotate

import (
	"encoding/binary"
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

// eightDigits returns the 8 decimal digits of x < 10⁸, leading zeros
// included, as the bytes of a little-endian word (the first digit in the
// lowest byte): x is split into halves of 4 digits, each into pairs,
// each pair into digits, every lane of the word at once. Division by 100
// and by 10 are multiplications (by 10486/2²⁰ and 103/2¹⁰, exact below
// 10⁴ and 10²), and no lane's product reaches the next (TestEightDigits).
func eightDigits(x uint32) uint64 {
	hi, lo := x/10000, x%10000
	v := uint64(hi) | uint64(lo)<<32 // two 32-bit lanes of 4 digits
	q := (v * 10486 >> 20) & 0x0000007f0000007f
	v = q | (v-q*100)<<16 // four 16-bit lanes of 2 digits
	q = (v * 103 >> 10) & 0x000f000f000f000f
	v = q | (v-q*10)<<8 // eight bytes of 1 digit
	return v + 0x3030303030303030
}

func appendUint(b []byte, v uint64) []byte {
	const e8 = 100_000_000
	if v < 100 { // counts, lengths, window scales: no window needed
		if v < 10 {
			return append(b, byte('0'+v))
		}
		return append(b, digitPairs[2*v], digitPairs[2*v+1])
	}
	// The digits are stored a word at a time into a window past len(b);
	// the bytes past the number are within the capacity, and dropped. The
	// window is an array pointer: its stores need no bounds checks.
	if cap(b)-len(b) < 24 {
		b = slices.Grow(b, 24)
	}
	l := len(b)
	d := (*[24]byte)(b[l : l+24])
	if v < e8 {
		n := decimalDigits(v)
		// the word's leading zeros shifted out
		binary.LittleEndian.PutUint64(d[:8], eightDigits(uint32(v))>>(8*(8-n)))
		return b[:l+n]
	}
	hi, lo := v/e8, uint32(v%e8)
	if hi < 100 { // below 10¹⁰: sequence numbers, timestamps
		if hi < 10 {
			d[0] = byte('0' + hi)
			binary.LittleEndian.PutUint64(d[1:9], eightDigits(lo))
			return b[:l+9]
		}
		d[0], d[1] = digitPairs[2*hi], digitPairs[2*hi+1]
		binary.LittleEndian.PutUint64(d[2:10], eightDigits(lo))
		return b[:l+10]
	}
	if hi < e8 { // below 10¹⁶
		n := decimalDigits(hi)
		binary.LittleEndian.PutUint64(d[:8], eightDigits(uint32(hi))>>(8*(8-n)))
		binary.LittleEndian.PutUint64(d[n:n+8], eightDigits(lo))
		return b[:l+n+8]
	}
	top := hi / e8 // below 1845
	n := decimalDigits(top)
	binary.LittleEndian.PutUint64(d[:8], eightDigits(uint32(top))>>(8*(8-n)))
	binary.LittleEndian.PutUint64(d[n:n+8], eightDigits(uint32(hi%e8)))
	binary.LittleEndian.PutUint64(d[n+8:n+16], eightDigits(lo))
	return b[:l+n+16]
}

func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		return appendUint(append(b, '-'), uint64(-v)) // -MinInt64 wraps to its own magnitude
	}
	return appendUint(b, uint64(v))
}
