package appliance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strings"
)

// Download is what a streamed file download wrote.
type Download struct {
	// Name is the file name the appliance suggested, when it is a plain
	// name (no path, no leading dot, no control character); "" otherwise.
	Name        string `json:"suggested_name,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Size        int64  `json:"size"`
	// SHA256 is the hex digest of the bytes written.
	SHA256 string `json:"sha256"`
}

// Backup asks /api/backup (an administrator's account) and streams the
// backup file to w. An empty answer, an XML answer (the appliance's
// <error>, e.g. "Invalid credentials") or an HTML page is refused before
// anything is written. When Backup fails after writing began, w holds a
// partial file: write to a temporary file and keep it only on success.
func (c *Client) Backup(ctx context.Context, w io.Writer) (*Download, error) {
	call := Call{Path: BackupPath, Name: "backup"}
	resp, err := c.Open(ctx, call)
	if err != nil {
		return nil, err
	}
	defer resp.Close()
	fail := func(kind Kind, format string, args ...any) error {
		return &Error{Endpoint: resp.Endpoint, Call: call.Name, Status: http.StatusOK, Kind: kind, Err: fmt.Errorf(format, args...)}
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(resp.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, err
	}
	head = head[:n]
	trimmed := bytes.TrimSpace(head)
	switch {
	case len(trimmed) == 0:
		return nil, fail(Malformed, "the appliance answered with an empty backup")
	case trimmed[0] == '<':
		rest, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if ae, _ := ReadError(io.MultiReader(bytes.NewReader(head), bytes.NewReader(rest))); ae != nil {
			return nil, refused(resp.Endpoint, call.Name, ae)
		}
		return nil, fail(Malformed, "the appliance answered with XML or HTML, not a backup file")
	}
	h := sha256.New()
	d := &Download{Name: SafeName(resp.Header.Get("Content-Disposition")), ContentType: resp.Header.Get("Content-Type")}
	d.Size, err = io.Copy(io.MultiWriter(w, h), io.MultiReader(bytes.NewReader(head), resp.Body))
	if err != nil {
		return nil, err
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d, nil
}

// SafeName returns the file name of a Content-Disposition header when it
// is a plain name: no folder, no leading dot, no control or path
// character; "" otherwise.
func SafeName(cd string) string {
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		return ""
	}
	name := params["filename"]
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, "/\\:") || strings.HasPrefix(name, ".") || len(name) > 200 {
		return ""
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return ""
		}
	}
	return name
}
