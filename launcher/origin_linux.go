package launcher

import "syscall"

func origin(path string) string {
	buf := make([]byte, 4096)
	n, err := syscall.Getxattr(path, "user.xdg.origin.url", buf)
	if err != nil || n <= 0 {
		return ""
	}
	return string(buf[:n])
}
