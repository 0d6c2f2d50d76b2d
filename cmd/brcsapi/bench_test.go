package main

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/brcs-toolkit/brcs/appliancetest"
)

// benchBackupSize is the stand-in's backup size for the benchmarks.
const benchBackupSize = 64 << 20

// BenchmarkBackup is brcsapi backup end to end against the stand-in: the
// checks, the exclusive 0600 temporary file, SHA-256, fsync, rename, the
// folder's fsync and the lock.
func BenchmarkBackup(b *testing.B) {
	s, r := standIn(b)
	s.Update(func(d *appliancetest.Data) { d.BackupSize = benchBackupSize })
	dir := b.TempDir()
	b.SetBytes(benchBackupSize)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if o := r.do(b, "backup", "-o", dir, "--keep", "1"); o.status != 0 {
			b.Fatal(o.stderr)
		}
	}
}

// BenchmarkBackupRawCopy is the baseline: a plain GET of the same bytes
// from the same stand-in, io.Copy into a file, as curl -o would.
func BenchmarkBackupRawCopy(b *testing.B) {
	s, _ := standIn(b)
	s.Update(func(d *appliancetest.Data) { d.BackupSize = benchBackupSize })
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CACertPEM())
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, DisableKeepAlives: true}}
	path := filepath.Join(b.TempDir(), "raw.nsb")
	b.SetBytes(benchBackupSize)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := client.Get(s.URL + "/api/backup?username=test&password=test")
		if err != nil {
			b.Fatal(err)
		}
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(f, resp.Body)
		resp.Body.Close()
		f.Close()
		if err != nil || n != benchBackupSize {
			b.Fatal(n, err)
		}
	}
}
