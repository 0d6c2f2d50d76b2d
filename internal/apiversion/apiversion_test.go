package apiversion

import "testing"

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int // the sign
	}{
		{"1.14.0", "1.14.0", 0},
		{"1.9.0", "1.14.0", -1}, // numbers, not text
		{"1.14.0", "1.9.0", 1},
		{"1.24.0", "1.14.0", 1},
		{"1.13.0", "1.14.0", -1},
		{"1.14", "1.14.0", 0}, // a missing part is 0
		{"1.14.1", "1.14", 1},
		{"2", "1.99.99", 1},
		{"", "0.0", 0},
		{"1.x.0", "1.0.0", 0}, // a part that is no number is 0
	} {
		got := Compare(c.a, c.b)
		if sign(got) != c.want {
			t.Errorf("Compare(%q, %q) = %d, want the sign %d", c.a, c.b, got, c.want)
		}
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
