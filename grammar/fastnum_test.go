package grammar

import (
	"math/rand"
	"testing"
)

// refNum is fastNum as it was written first, a digit at a time: the
// reference the eight-at-a-time version must equal.
func refNum(raw []byte, i int) (uint32, int, bool) {
	var v uint64
	j := i
	for j < len(raw) && isDigit(raw[j]) {
		if j-i == 10 {
			return 0, 0, false
		}
		v = v*10 + uint64(raw[j]-'0')
		j++
	}
	if j == i || v > 1<<32-1 {
		return 0, 0, false
	}
	return uint32(v), j, true
}

// TestFastNum holds fastNum to refNum on numbers of every length, at every
// distance from the line's end, followed by every kind of byte (the bytes
// next to '0' and '9' most of all, where a digit test by arithmetic slips).
func TestFastNum(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	enders := []byte{' ', ',', ':', ')', ']', '/', ':', '0' - 1, '9' + 1, 0, 0xff, 0x80, 0xc6, 0xf9, 0xfa, 'a', 'x'}
	for trial := 0; trial < 200000; trial++ {
		nd := rng.Intn(13)
		var b []byte
		for k := 0; k < rng.Intn(3); k++ {
			b = append(b, 'x')
		}
		i := len(b)
		for k := 0; k < nd; k++ {
			d := byte('0' + rng.Intn(10))
			if rng.Intn(3) == 0 {
				d = '9'
			}
			b = append(b, d)
		}
		for k := rng.Intn(10); k > 0; k-- {
			if rng.Intn(2) == 0 {
				b = append(b, enders[rng.Intn(len(enders))])
			} else {
				b = append(b, byte(rng.Intn(256)))
			}
		}
		v, j, ok := fastNum(b, i)
		rv, rj, rok := refNum(b, i)
		if v != rv || j != rj || ok != rok {
			t.Fatalf("fastNum(%q, %d) = %d, %d, %v; want %d, %d, %v", b, i, v, j, ok, rv, rj, rok)
		}
	}
	for _, s := range []string{"4294967295 ", "4294967296 ", "9999999999", "0000000000 ", "00000000001", "12345678", "1234567890,"} {
		v, j, ok := fastNum([]byte(s), 0)
		rv, rj, rok := refNum([]byte(s), 0)
		if v != rv || j != rj || ok != rok {
			t.Errorf("fastNum(%q) = %d, %d, %v; want %d, %d, %v", s, v, j, ok, rv, rj, rok)
		}
	}
}
