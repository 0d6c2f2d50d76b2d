package export

import (
	"bytes"
	"encoding/xml"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/appliancetest"
)

// benchXML is 2,000 generated sessions of 10 events each, as the stand-in
// serves them.
var benchXML = sync.OnceValue(func() []byte {
	var b bytes.Buffer
	g := appliancetest.Generated{N: 2000, Start: time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC), Step: time.Minute, Events: 10}
	if err := g.WriteXML(&b, "http://www.bomgar.com/namespaces/API/reporting"); err != nil {
		panic(err)
	}
	return b.Bytes()
})

// BenchmarkStreamAccessSession decodes an AccessSession answer session by
// session and writes it as JSON Lines: the work of "report sessions".
// Compare with BenchmarkRawTokenBaseline through scripts/benchratio.
func BenchmarkStreamAccessSession(b *testing.B) {
	data := benchXML()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		w, _ := Sessions(io.Discard, "jsonl", false)
		for s, err := range reporting.Sessions(bytes.NewReader(data), reporting.Options{}) {
			if err != nil {
				b.Fatal(err)
			}
			if err := w.Write(s); err != nil {
				b.Fatal(err)
			}
			n++
		}
		w.Close()
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sessions/s")
}

// BenchmarkRawTokenBaseline is the least any XML reader must do: a bare
// encoding/xml RawToken loop over the same bytes.
func BenchmarkRawTokenBaseline(b *testing.B) {
	data := benchXML()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			if _, err := d.RawToken(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}
