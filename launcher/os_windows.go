//go:build windows

package launcher

import (
	"os"
	"os/exec"
	"syscall"
)

// oNoFollow: Windows has no O_NOFOLLOW; LaunchFile checks for links first.
const oNoFollow = 0

const (
	createNewProcessGroup = 0x00000200
	detachedProcess       = 0x00000008
)

// detach starts the console apart from the launcher's console window.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: createNewProcessGroup | detachedProcess}
}

// ownedByMe: a user's temporary folder on Windows is its own.
func ownedByMe(os.FileInfo) bool { return true }
