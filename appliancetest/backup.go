package appliancetest

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
)

// backup serves /api/backup: deterministic bytes of the configured size,
// for administrators only.
func (s *Server) backup(w http.ResponseWriter, r *http.Request) {
	if s.authenticate(w, r, "command", func(u *User) bool { return u.Admin }) == nil {
		return
	}
	s.mu.Lock()
	size, name := s.data.BackupSize, s.data.BackupName
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/octet-stream")
	if name != "" {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	WriteBackup(w, size)
}

// backupChunk is the stand-in's backup pattern, repeated: random-looking
// bytes, so that nothing compresses them away.
var backupChunk = func() []byte {
	b := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	// Begin like no XML or HTML answer.
	copy(b, "NSB\x00")
	return b
}()

// WriteBackup writes the size bytes of the stand-in's backup to w.
func WriteBackup(w interface{ Write([]byte) (int, error) }, size int64) error {
	for size > 0 {
		n := min(size, int64(len(backupChunk)))
		if _, err := w.Write(backupChunk[:n]); err != nil {
			return err
		}
		size -= n
	}
	return nil
}
