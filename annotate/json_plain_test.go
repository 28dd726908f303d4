package annotate

import "testing"

// TestPlainLine checks the 16-bytes-a-step test, with its overlapping
// tail, against the byte table: one byte of every value in every position
// of every length up to 40.
func TestPlainLine(t *testing.T) {
	for n := 0; n <= 40; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 256; c++ {
				s := make([]byte, n)
				for i := range s {
					s[i] = 'a' + byte(i%26)
				}
				s[pos] = byte(c)
				want := c < 0x80 && jsonSafe[c]
				if got := plainLine(s); got != want {
					t.Fatalf("plainLine(%q) = %v", s, got)
				}
			}
		}
	}
	if !plainLine(nil) {
		t.Fatal("plainLine(nil) = false")
	}
}
