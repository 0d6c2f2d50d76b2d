package archive_test

import (
	"context"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
	"github.com/brcs-toolkit/brcs/archive"
	"github.com/brcs-toolkit/brcs/internal/testutil/standin"
)

func ExampleArchive_Sync() {
	dir, _ := os.MkdirTemp("", "archive")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(dir, "sessions.db")) // or "postgres://user@host/db"
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	// The source is normally the appliance client's (SourceOf); here, one answer.
	answer := `<session_list><session lsid="c69a8e10bea9428f816cfababe9815fe">
	  <end_time timestamp="1425200400">2015-03-01T09:00:00+00:00</end_time><external_key>INC0012345</external_key>
	</session></session_list>`
	src := func(ctx context.Context, q reporting.Query) iter.Seq2[*reporting.Session, error] {
		return reporting.Sessions(strings.NewReader(answer), reporting.Options{})
	}
	since := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	for range 2 { // the second sync finds the cursor and adds nothing
		res, err := a.Sync(ctx, src, archive.SyncOptions{Since: since, Until: since.Add(24 * time.Hour), Window: 24 * time.Hour})
		fmt.Println(res.Windows, res.Sessions, err)
	}
	rows, _ := a.Find(ctx, archive.Filter{ExternalKey: "INC0012345"})
	fmt.Println(len(rows), rows[0].LSID)
	// Output:
	// 1 1 <nil>
	// 0 0 <nil>
	// 1 c69a8e10bea9428f816cfababe9815fe
}

// SourceOf syncs from the appliance client, each answer decoded with the
// options given; Sessions then reads a ticket's sessions back.
func ExampleSourceOf() {
	cl, stop := standin.Client() // a client of a stand-in appliance
	defer stop()
	dir, _ := os.MkdirTemp("", "archive")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	a, err := archive.Open(ctx, filepath.Join(dir, "sessions.db"))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	since := time.Date(2015, 3, 1, 0, 0, 0, 0, time.UTC)
	res, err := a.Sync(ctx, archive.SourceOf(cl, reporting.Options{}), archive.SyncOptions{Since: since, Until: since.AddDate(0, 0, 4), Window: 24 * time.Hour})
	fmt.Println(res.Sessions, err)
	sessions, err := a.Sessions(ctx, archive.Filter{ExternalKey: "INC0012345"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for sess, err := range sessions {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(sess.LSID, sess.PrimaryCustomer.Name)
	}
	// Output:
	// 3 <nil>
	// c69a8e10bea9428f816cfababe9815fe ABCDEF02
	// a5eeaa58591047b88556f944804227b0 WEB01
}
