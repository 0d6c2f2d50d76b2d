//go:build !linux && !windows

package launcher

func origin(string) string { return "" }
