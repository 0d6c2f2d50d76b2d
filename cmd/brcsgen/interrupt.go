package main

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

var errInterrupted = errors.New("not made: interrupted")

// interruptible returns a context cancelled by SIGINT or SIGTERM, so that
// a batch stops cleanly instead of dying between a temporary file and its
// rename.
func interruptible(parent context.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(parent, os.Interrupt, syscall.SIGTERM)
}
