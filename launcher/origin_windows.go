package launcher

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/brcs-toolkit/brcs/internal/fsutil"
)

func origin(path string) (string, error) {
	f, err := os.Open(path + ":Zone.Identifier")
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading where the file was downloaded from: %v", err)
	}
	defer f.Close()
	b, err := fsutil.ReadAllCapped(f, maxOrigin, "the Zone.Identifier record")
	if err != nil {
		return "", err
	}
	return hostURL(string(b)), nil
}
