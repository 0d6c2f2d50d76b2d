package apiversion

import "testing"

func TestCompare(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
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
		{"1.x.0", "1.0.0", 0},            // a part that is no number is 0
		{"9223372036854775807", "-1", 1}, // no overflow at the ends of int
		{"-9223372036854775808", "1", -1},
	} {
		got := Compare(c.a, c.b)
		if got != c.want {
			t.Errorf("Compare(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
