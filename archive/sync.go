package archive

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// Source fetches an AccessSession report: SourceOf makes the appliance
// client's, tests make their own.
type Source func(ctx context.Context, q reporting.Query) iter.Seq2[*reporting.Session, error]

// Sessioner asks the appliance for AccessSession reports, decoded with
// the options given: *appliance.Client is one.
type Sessioner interface {
	Sessions(ctx context.Context, q reporting.Query, o reporting.Options) iter.Seq2[*reporting.Session, error]
}

// SourceOf is the Source of cl's answers, each decoded with o (its caps).
func SourceOf(cl Sessioner, o reporting.Options) Source {
	return func(ctx context.Context, q reporting.Query) iter.Seq2[*reporting.Session, error] {
		return cl.Sessions(ctx, q, o)
	}
}

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
	// Window is the length of the first request (there is no pagination);
	// later ones widen over quiet times and narrow over busy ones (see
	// reporting.Walker). 0 means one hour.
	Window time.Duration
	// Fixed keeps every window Window long.
	Fixed bool
	// MaxWindow caps the widening; 0 means reporting.DefaultMaxWindow.
	MaxWindow time.Duration
	// Target is the sessions a window aims at; 0 means
	// reporting.DefaultTarget.
	Target int
	// Limit bounds one answer; a window over it is rolled back and asked
	// again in halves. Zero means DefaultLimit().
	Limit reporting.Limit
	// Cursor names the stored cursor; "" means DefaultCursor.
	Cursor string
	// OnWindow, if set, hears of each committed window.
	OnWindow func(reporting.Progress)
}

// DefaultLimit bounds one answer of a sync: 4,000 sessions, about 64 MiB,
// or five minutes.
func DefaultLimit() reporting.Limit {
	return reporting.Limit{Items: 4 * reporting.DefaultTarget, Bytes: 64 << 20, Time: 5 * time.Minute}
}

// SyncResult says what a sync did.
type SyncResult struct {
	Windows  int       // windows committed
	Requests int       // requests sent, windows asked again in halves included
	Sessions int       // sessions written, each once
	Cursor   time.Time // the cursor after the sync
	Start    time.Time // where the sync started (the cursor before it)
}

// Sync archives every session that ended between the cursor (or
// o.Since) and o.Until, one end_time window at a time. Each window's
// sessions and the cursor's move past it commit in one transaction, so a
// failure anywhere leaves the archive as it was after the last complete
// window, and running Sync again continues from there. The result says
// what was committed, also when an error stopped the sync.
func (a *Archive) Sync(ctx context.Context, src Source, o SyncOptions) (SyncResult, error) {
	if o.Cursor == "" {
		o.Cursor = DefaultCursor
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
	if o.Limit == (reporting.Limit{}) {
		o.Limit = DefaultLimit()
	}
	res := SyncResult{Cursor: from, Start: from}
	if !o.Until.Truncate(time.Second).After(from.Truncate(time.Second)) {
		return res, nil // nothing new (the API counts whole seconds)
	}
	var taken []string
	if ok {
		// The last sync's last window included its end: the sessions it
		// took there come back in this sync's first window.
		if taken, err = a.endedAround(ctx, from); err != nil {
			return res, err
		}
	}
	wk := reporting.Walker[reporting.Session]{Report: reporting.AccessSession, Ended: true, From: from, To: o.Until,
		Start: o.Window, Max: o.MaxWindow, Fixed: o.Fixed, Target: o.Target, Limit: o.Limit,
		ID: func(s *reporting.Session) string { return s.LSID }, Edge: reporting.OnEdge, Size: approxSize, Taken: taken}
	err = wk.Walk(ctx, func(ctx context.Context, w reporting.Window) iter.Seq2[*reporting.Session, error] {
		res.Requests++
		return src(ctx, w.Query)
	}, func(w reporting.Window, sessions iter.Seq2[*reporting.Session, error]) error {
		return a.Update(ctx, func(b *Batch) error {
			for s, err := range sessions {
				if err != nil {
					return err
				}
				if err := b.PutSession(ctx, s); err != nil {
					return err
				}
			}
			return b.SetCursor(ctx, o.Cursor, w.To)
		})
	}, func(p reporting.Progress) {
		res.Windows, res.Sessions, res.Cursor = p.Windows, p.Total, p.Window.To
		if o.OnWindow != nil {
			o.OnWindow(p)
		}
	})
	if err != nil {
		return res, fmt.Errorf("sessions ended %w (the archive holds everything up to %s; run the sync again to continue)",
			err, res.Cursor.UTC().Format(time.RFC3339))
	}
	return res, nil
}

// endedAround lists the archived sessions that ended in the second before
// t or at t: the edge of the window that ended at t.
func (a *Archive) endedAround(ctx context.Context, t time.Time) ([]string, error) {
	q := `SELECT lsid FROM sessions WHERE end_time >= ? AND end_time <= ?`
	return queryAll(ctx, a, q, []any{t.Unix() - 1, t.Unix()}, func(rows *sql.Rows) (lsid string, err error) {
		err = rows.Scan(&lsid)
		return lsid, err
	})
}

// approxSize is about the bytes a session took in its answer: its text
// fields and a fixed share per element, enough for reporting.Limit.Bytes.
func approxSize(s *reporting.Session) int64 {
	n := int64(2000 + 300*(len(s.Customers)+len(s.Representatives)+len(s.CustomAttributes)+len(s.ShellRecordings)))
	for _, e := range s.Events {
		n += int64(200 + len(e.Body) + len(e.Filename) + 100*(len(e.Data)+len(e.Files)+len(e.Extra)))
	}
	return n
}
