package launcher

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

// A private copy lives in a folder of its own, brcslaunch-NNN in the
// temporary folder, beside a lock file held by the process that waits for
// the console (the launcher with --wait, else its helper). The kernel
// releases the lock when that process ends, however it ends, so a folder
// whose lock nobody holds is debris of a run that is over.
const (
	copyPrefix = "brcslaunch-"
	lockName   = ".lock"
	// lockless is the age past which a folder with no lock file is debris:
	// one from an older brcslaunch, or whose launcher died between making
	// the folder and locking it (a moment).
	lockless = time.Minute
)

// copyRun is a console started with a private copy, and the copy.
type copyRun struct {
	cmd  *exec.Cmd
	dir  string
	path string
	lock *fsutil.Lock
}

// startCopy makes the private copy of src, locked by this process, and
// starts the console with it.
func startCopy(ctx context.Context, o Options, name string, src []byte) (*copyRun, error) {
	dir, path, lock, err := privateCopy(o.TempDir, name, src)
	if err != nil {
		return nil, err
	}
	c := &copyRun{dir: dir, path: path, lock: lock}
	if c.cmd, err = consoleCommand(ctx, o, []string{"--run-script-file", path}); err != nil {
		c.remove()
		return nil, err
	}
	if err := c.cmd.Start(); err != nil {
		c.remove()
		return nil, fmt.Errorf("starting the console: %v", err)
	}
	return c, nil
}

// wait waits for the console, removes the copy, and returns the console's
// exit status.
func (c *copyRun) wait() (int, error) {
	err := c.cmd.Wait()
	c.remove()
	return exitStatus(err)
}

func (c *copyRun) remove() {
	c.lock.Unlock() // before removing: Windows removes no open file
	os.RemoveAll(c.dir)
}

// privateCopy writes src to a new folder of mode 0700, in a file of mode
// 0600 that did not exist before, so the console runs exactly the bytes
// that were checked. The folder's lock file is locked, by this process,
// before the copy is written. Stale folders of earlier runs go first.
func privateCopy(tmp, name string, src []byte) (dir, path string, lock *fsutil.Lock, err error) {
	removeStaleCopies(tmp)
	dir, err = os.MkdirTemp(tmp, copyPrefix)
	if err != nil {
		return "", "", nil, refuse("making a private copy: %v", err)
	}
	fail := func(err error) (string, string, *fsutil.Lock, error) {
		if lock != nil {
			lock.Unlock()
		}
		os.RemoveAll(dir)
		return "", "", nil, refuse("making a private copy: %v", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fail(err)
	}
	if lock, err = fsutil.TryLock(filepath.Join(dir, lockName)); err != nil {
		return fail(err)
	}
	path = filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|oNoFollow, 0o600)
	if err == nil {
		_, err = f.Write(src)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return fail(err)
	}
	return dir, path, lock, nil
}

// removeStaleCopies removes the private copies of earlier runs whose
// console is gone: folders whose lock no process holds (see copyPrefix),
// and folders without a lock file older than a minute. Only this user's
// folders are looked at.
func removeStaleCopies(tmp string) {
	if tmp == "" {
		tmp = os.TempDir()
	}
	old, _ := filepath.Glob(filepath.Join(tmp, copyPrefix+"*"))
	for _, d := range old {
		fi, err := os.Lstat(d)
		if err != nil || !fi.IsDir() || !ownedByMe(fi) {
			continue
		}
		lockPath := filepath.Join(d, lockName)
		lfi, err := os.Lstat(lockPath)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if time.Since(fi.ModTime()) > lockless {
				os.RemoveAll(d)
			}
		case err == nil && lfi.Mode().IsRegular():
			if l, err := fsutil.TryLock(lockPath); err == nil {
				l.Unlock()
				os.RemoveAll(d)
			}
		}
	}
}

// copyRequest is what a launch hands its helper (see Options.Helper).
type copyRequest struct {
	Console string `json:"console"`
	TempDir string `json:"temp_dir"`
	Name    string `json:"name"`
	Profile string `json:"profile"`
	Script  []byte `json:"script"`
}

// copyReply is the helper's answer once the console is started (or not).
type copyReply struct {
	Copy  string `json:"copy,omitempty"`
	Error string `json:"error,omitempty"`
}

// startHelper starts o.Helper detached, hands it the checked script, and
// returns the private copy's path once the helper has started the console
// with it.
func startHelper(ctx context.Context, o Options, name string, src []byte) (string, error) {
	tmp := o.TempDir
	if tmp == "" {
		tmp = os.TempDir()
	}
	tmp, err := filepath.Abs(tmp)
	if err != nil {
		return "", refuse("making a private copy: %v", err)
	}
	req, err := json.Marshal(copyRequest{Console: o.Console, TempDir: tmp, Name: name, Profile: o.Profile, Script: src})
	if err != nil {
		return "", err
	}
	inR, inW, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer inW.Close()
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		return "", err
	}
	defer outR.Close()
	cmd := exec.Command(o.Helper[0], o.Helper[1:]...)
	// Its standard error is not this process's: whoever reads this
	// process's output (a pipe, $(...)) would wait for the console.
	cmd.Stdin, cmd.Stdout = inR, outW
	detach(cmd)
	err = cmd.Start()
	inR.Close()
	outW.Close()
	if err != nil {
		return "", fmt.Errorf("starting the console's helper %s: %v", o.Helper[0], err)
	}
	replied := make(chan copyReply, 1)
	go func() {
		var rep copyReply
		if _, err := inW.Write(req); err != nil {
			rep.Error = "the helper took no script: " + err.Error()
		} else if inW.Close(); json.NewDecoder(outR).Decode(&rep) != nil {
			rep.Error = "the helper ended without starting the console"
		}
		replied <- rep
	}()
	var rep copyReply
	select {
	case rep = <-replied:
	case <-ctx.Done():
		cmd.Process.Kill()
		cmd.Wait()
		return "", context.Cause(ctx)
	}
	if rep.Error != "" || rep.Copy == "" {
		cmd.Wait()
		return "", fmt.Errorf("starting the console: %s", rep.Error)
	}
	return rep.Copy, cmd.Process.Release()
}

// ServeCopy is the helper of a launch that does not wait (see
// Options.Helper), run in a process of its own: it reads the launch's
// request from in, checks the script again, makes the private copy and
// holds its lock, starts the console with it, answers on out, then waits
// for the console and removes the copy. The console's output goes to
// console. It returns once the copy is gone.
func ServeCopy(ctx context.Context, in io.Reader, out, console io.Writer) error {
	var req copyRequest
	answer := func(rep copyReply) error { return json.NewEncoder(out).Encode(rep) }
	if err := json.NewDecoder(io.LimitReader(in, 2*brcs.DefaultMaxSize)).Decode(&req); err != nil {
		answer(copyReply{Error: "reading the launch: " + err.Error()})
		return fmt.Errorf("reading the launch: %v", err)
	}
	// The helper can be run by hand: it never starts a script that does
	// not validate, whoever asks.
	if _, ds, err := brcs.Check(req.Name, req.Script, brcs.Options{Profile: req.Profile}); err != nil || brcs.HasErrors(ds) || brcs.HasErrors(brcs.CheckFileName(req.Name)) || filepath.Base(req.Name) != req.Name {
		answer(copyReply{Error: "the script is not valid"})
		return refuse("the script %q is not valid; it is not run", req.Name)
	}
	o := Options{Console: req.Console, TempDir: req.TempDir, Stdout: console, Stderr: console}
	c, err := startCopy(ctx, o, req.Name, req.Script)
	if err != nil {
		answer(copyReply{Error: err.Error()})
		return err
	}
	answer(copyReply{Copy: c.path})
	_, err = c.wait()
	return err
}
