package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/brcs-toolkit/brcs/internal/fsutil"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// checkOutput refuses a row's output path (the CSV's, so outside input)
// that could harm: a part that fsutil.CheckName refuses (a name that
// reads as an option, a dot-file, a name that needs escaping to be shown,
// a reserved Windows name), or a folder that is a symbolic link leading
// out of outDir. It is checked when rows are read and again just
// before the write.
func checkOutput(outDir, dest string) error {
	rel, err := filepath.Rel(outDir, dest)
	if err != nil {
		return err
	}
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		// The same rule as for a name an appliance suggests: a file named
		// with a new line, ESC or invisible characters attacks whatever
		// lists it.
		if err := fsutil.CheckName(part); err != nil {
			return fmt.Errorf("output %s: %v; refused", textsafe.Quote(rel), err)
		}
	}
	root, err := filepath.EvalSymlinks(outDir)
	if err != nil {
		return nil // the out-dir is made later; nothing in it yet to follow
	}
	parent, err := filepath.EvalSymlinks(filepath.Dir(dest))
	if err != nil {
		return nil // the folder does not exist: the write fails and says so
	}
	if r, err := filepath.Rel(root, parent); err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) {
		return fmt.Errorf("output %s: its folder is a symbolic link leading out of --out-dir (to %s); refused", textsafe.Quote(rel), textsafe.Quote(parent))
	}
	if fi, err := os.Lstat(dest); err == nil && fi.Mode()&os.ModeSymlink != 0 {
		return fmt.Errorf("output %s is a symbolic link; refused", textsafe.Quote(rel))
	}
	return nil
}
