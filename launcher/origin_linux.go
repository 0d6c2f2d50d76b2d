package launcher

import (
	"errors"
	"fmt"
	"syscall"
)

const originAttr = "user.xdg.origin.url"

func origin(path string) (string, error) {
	// Ask the size first: a fixed buffer silently dropped a longer
	// record (ERANGE), and with it the --allow-origin check.
	n, err := syscall.Getxattr(path, originAttr, nil)
	if errors.Is(err, syscall.ENODATA) || errors.Is(err, syscall.ENOTSUP) || n == 0 {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading where the file was downloaded from: %v", err)
	}
	if n > maxOrigin {
		return "", fmt.Errorf("the recorded download origin is %d bytes, more than the %d-byte cap", n, maxOrigin)
	}
	buf := make([]byte, n)
	n, err = syscall.Getxattr(path, originAttr, buf)
	if err != nil {
		return "", fmt.Errorf("reading where the file was downloaded from: %v", err)
	}
	return string(buf[:n]), nil
}
