package archive

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// Source fetches an AccessSession report; the appliance client provides
// one, tests provide another.
type Source func(ctx context.Context, q reporting.Query) iter.Seq2[*reporting.Session, error]

// DefaultCursor names the cursor of the AccessSession sync.
const DefaultCursor = "access_session"

// SyncOptions say what a sync covers.
type SyncOptions struct {
	// Since is where the first sync starts; later syncs start at the stored
	// cursor.
	Since time.Time
	// Until is where the sync stops, typically now minus a lag so that the
	// appliance has finished writing the last sessions.
	Until time.Time
	// Window is the length of one request (there is no pagination); 0
	// means one hour.
	Window time.Duration
	// Cursor names the stored cursor; "" means DefaultCursor.
	Cursor string
	// OnWindow, if set, hears of each committed window.
	OnWindow func(w reporting.Window, sessions int)
}

// SyncResult says what a sync did.
type SyncResult struct {
	Windows  int       // windows committed
	Sessions int       // sessions written (a session on a window edge counts twice)
	Cursor   time.Time // the cursor after the sync
}

// Sync archives every session that ended between the cursor (or
// o.Since) and o.Until, one end_time window at a time. Each window's
// sessions and the cursor's move past it commit in one transaction, so a
// failure anywhere leaves the archive as it was after the last complete
// window, and running Sync again continues from there.
func (a *Archive) Sync(ctx context.Context, src Source, o SyncOptions) (SyncResult, error) {
	if o.Cursor == "" {
		o.Cursor = DefaultCursor
	}
	if o.Window == 0 {
		o.Window = time.Hour
	}
	from, ok, err := a.Cursor(ctx, o.Cursor)
	if err != nil {
		return SyncResult{}, err
	}
	if !ok {
		if o.Since.IsZero() {
			return SyncResult{}, errors.New("the archive has no cursor yet: say where the first sync starts")
		}
		from = o.Since
	}
	res := SyncResult{Cursor: from}
	if !o.Until.Truncate(time.Second).After(from.Truncate(time.Second)) {
		return res, nil // nothing new (the API counts whole seconds)
	}
	ws, err := reporting.Windows(reporting.AccessSession, true, from, o.Until, o.Window)
	if err != nil {
		return res, err
	}
	for _, w := range ws {
		n := 0
		err := a.Update(ctx, func(b *Batch) error {
			for s, err := range src(ctx, w.Query) {
				if err != nil {
					return err
				}
				if err := b.PutSession(ctx, s); err != nil {
					return err
				}
				n++
			}
			return b.SetCursor(ctx, o.Cursor, w.To)
		})
		if err != nil {
			return res, fmt.Errorf("sessions ended %s to %s: %w (the archive holds everything before; run the sync again to continue)",
				w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339), err)
		}
		res.Windows++
		res.Sessions += n
		res.Cursor = w.To
		if o.OnWindow != nil {
			o.OnWindow(w, n)
		}
	}
	return res, nil
}
