package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
)

// brcsapiBinary is brcsapi built once per test process, for the tests
// that run it as a real process (signals, concurrent runs).
var brcsapiBinary = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "brcsapi-bin")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "brcsapi")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})
