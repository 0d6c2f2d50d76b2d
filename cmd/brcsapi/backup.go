package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/internal/cliutil"
)

// backupStamp is the time in a backup's name: HOST-20060102T150405Z.nsb,
// HOST being hostOf the appliance URL (127.0.0.1_9443 with a port).
const backupStamp = "20060102T150405Z"

// lockName is the lock file that keeps two runs in one folder apart.
const lockName = ".brcsapi-backup.lock"

func backupCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:  "backup",
		Usage: "download the appliance's configuration backup into a folder, atomically, with mode 0600; optionally rotate old ones",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Required: true, Usage: "the folder to write HOST-YYYYMMDDTHHMMSSZ.nsb into (HOST is the appliance's host, with _PORT when its URL names one)"},
			&cli.IntFlag{Name: "keep", Usage: "after a good backup, keep the newest N of this appliance's backups in the folder, delete older ones (0: no limit)"},
			&cli.IntFlag{Name: "keep-days", Usage: "after a good backup, keep this appliance's backups younger than D days, delete older ones (0: no limit)"},
		},
		Action: func(c *cli.Context) error {
			dir := c.String("output")
			keep, keepDays := c.Int("keep"), c.Int("keep-days")
			if keep < 0 || keepDays < 0 {
				return cliutil.Usage("--keep and --keep-days take a number of files or days, 0 or more")
			}
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				return cliutil.Usage("-o %s: not a folder", dir)
			}
			cl, err := e.client(c, true)
			if err != nil {
				return err
			}
			host := hostOf(cl.Base())
			unlock, err := lock(dir)
			if err != nil {
				return cliutil.Refused(err)
			}
			defer unlock()
			path := filepath.Join(dir, host+"-"+e.Now().UTC().Format(backupStamp)+".nsb")
			d, err := writeBackup(c, e, cl, path)
			if err != nil {
				return cliutil.Refused(err)
			}
			deleted, err := rotate(dir, host, filepath.Base(path), keep, keepDays, e.Now())
			if c.Bool("json") {
				if jerr := e.printJSON(struct {
					Path string `json:"path"`
					*appliance.Download
					Deleted []string `json:"deleted"`
				}{path, d, deleted}); jerr != nil {
					return jerr
				}
			} else {
				fmt.Fprintf(e.Stdout, "%s\t%d bytes\tsha256 %s\n", path, d.Size, d.SHA256)
				for _, f := range deleted {
					fmt.Fprintf(e.Stdout, "deleted %s\n", f)
				}
			}
			if err != nil {
				return cliutil.Refused(fmt.Errorf("the backup is written, but rotating failed: %v", err))
			}
			return nil
		},
	}
}

// hostOf makes the appliance's host a file name part.
func hostOf(base string) string {
	h := base[strings.Index(base, "://")+3:]
	return strings.NewReplacer(":", "_", "[", "", "]", "").Replace(h)
}

// lock takes the folder's lock file, created exclusively.
func lock(dir string) (func(), error) {
	p := filepath.Join(dir, lockName)
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("another backup is running in %s (lock file %s); if none is, delete the lock file", dir, p)
		}
		return nil, fmt.Errorf("cannot take the lock %s: %v", p, err)
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	f.Close()
	return func() { os.Remove(p) }, nil
}

// writeBackup streams the backup into a temporary file in the same folder
// (created exclusively, mode 0600), syncs it, renames it to path and syncs
// the folder. On any failure the temporary file is removed.
func writeBackup(c *cli.Context, e *env, cl *appliance.Client, path string) (d *appliance.Download, err error) {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".part-*")
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = tmp.Chmod(0o600); err != nil && !isWindows() {
		return nil, err
	}
	bar := newProgress(e, "backup", 0, true)
	d, err = cl.Backup(c.Context, io.MultiWriter(tmp, bar))
	bar.done()
	if err != nil {
		return nil, err
	}
	if err = tmp.Sync(); err != nil {
		return nil, err
	}
	if err = tmp.Close(); err != nil {
		return nil, err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return nil, err
	}
	syncDir(dir)
	return d, nil
}

// syncDir makes a rename durable; not every system can sync a folder.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

func isWindows() bool { return filepath.Separator == '\\' }

// rotate deletes host's older backups in dir: a file is kept when it is
// among the newest keep, or younger than keepDays (each rule only when
// given), and just (the file this run wrote) is always kept. Only names
// of brcsapi's own pattern for this host are considered.
func rotate(dir, host, just string, keep, keepDays int, now time.Time) ([]string, error) {
	if keep == 0 && keepDays == 0 {
		return nil, nil
	}
	pattern := regexp.MustCompile(`^` + regexp.QuoteMeta(host) + `-([0-9]{8}T[0-9]{6}Z)\.nsb$`)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	type backup struct {
		name string
		at   time.Time
	}
	var all []backup
	for _, en := range entries {
		m := pattern.FindStringSubmatch(en.Name())
		if m == nil || !en.Type().IsRegular() {
			continue
		}
		at, err := time.Parse(backupStamp, m[1])
		if err != nil {
			continue
		}
		all = append(all, backup{en.Name(), at})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at.After(all[j].at) })
	var deleted []string
	var errs []error
	for i, b := range all {
		if b.name == just {
			continue
		}
		keptByCount := keep > 0 && i < keep
		keptByAge := keepDays > 0 && now.Sub(b.at) < time.Duration(keepDays)*24*time.Hour
		if keptByCount || keptByAge {
			continue
		}
		p := filepath.Join(dir, b.name)
		if err := os.Remove(p); err != nil {
			errs = append(errs, err)
			continue
		}
		deleted = append(deleted, p)
	}
	return deleted, errors.Join(errs...)
}
