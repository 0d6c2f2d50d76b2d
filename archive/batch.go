package archive

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// Batch is one transaction of writes: sessions and the cursor they bring
// forward commit together or not at all. Sessions are held as rows and
// written in bulk (flushBatch sessions at a time, and at the end): SQLite
// by prepared statements, PostgreSQL by COPY into staging tables and one
// upsert per table.
type Batch struct {
	a       *Archive
	w       writer
	pending map[string]*rows // by lsid: a session put twice keeps its last copy
	order   []string
}

// flushBatch bounds the sessions a Batch holds before writing them.
const flushBatch = 2000

// writer is the backend's side of a Batch.
type writer interface {
	// exec runs one statement (? placeholders).
	exec(ctx context.Context, q string, args ...any) error
	// queryInt64 reads one nullable integer.
	queryInt64(ctx context.Context, q string, args ...any) (sql.NullInt64, error)
	// write upserts the sessions of rs and rewrites their child rows.
	write(ctx context.Context, rs []*rows) error
}

// rows are the rows of one session, table by table, in column order.
type rows struct {
	lsid         string
	session      []any
	participants [][]any
	events       [][]any
	attributes   [][]any
	recordings   [][]any
}

// Update runs fn in one transaction, committed when fn returns nil and
// rolled back otherwise.
func (a *Archive) Update(ctx context.Context, fn func(*Batch) error) error {
	if a.postgres {
		return a.updatePostgres(ctx, fn)
	}
	// The transaction, and with it SQLite's write lock, begins with the
	// first write, not while the appliance is still answering.
	w := &sqliteWriter{a: a, st: map[string]*sql.Stmt{}, begin: func() (*sql.Tx, error) { return a.db.BeginTx(ctx, nil) }}
	defer w.close()
	return run(ctx, &Batch{a: a, w: w}, fn, w.commit, w.rollback)
}

// run is Update's common part: fn, the last flush, then commit or
// rollback.
func run(ctx context.Context, b *Batch, fn func(*Batch) error, commit, rollback func() error) error {
	err := fn(b)
	if err == nil {
		err = b.flush(ctx)
	}
	if err != nil {
		rollback()
		return err
	}
	return commit()
}

// PutSession writes s, replacing any earlier copy of the same lsid: the
// session row is upserted and its participants, events and custom
// attributes are written afresh. Downloaded recordings stay recorded. A
// copy without an end time (the session was running, or its end is not
// known) never replaces one that has an end: a session is never frozen as
// running, and an ended session comes back in the window of its end.
func (b *Batch) PutSession(ctx context.Context, s *reporting.Session) error {
	if s.LSID == "" {
		return errors.New("a session without lsid cannot be archived")
	}
	if !s.EndTime.Valid {
		end, err := b.w.queryInt64(ctx, `SELECT end_time FROM sessions WHERE lsid = ?`, s.LSID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("archiving session %s: %w", s.LSID, err)
		}
		if end.Valid {
			return nil // the archive holds the ended copy
		}
	}
	r, err := sessionRows(s, b.a.now())
	if err != nil {
		return fmt.Errorf("archiving session %s: %w", s.LSID, err)
	}
	if b.pending == nil {
		b.pending = map[string]*rows{}
	}
	if _, again := b.pending[s.LSID]; !again {
		b.order = append(b.order, s.LSID)
	}
	b.pending[s.LSID] = r
	if len(b.order) >= flushBatch {
		return b.flush(ctx)
	}
	return nil
}

// flush writes the pending sessions.
func (b *Batch) flush(ctx context.Context) error {
	if len(b.order) == 0 {
		return nil
	}
	rs := make([]*rows, len(b.order))
	for i, id := range b.order {
		rs[i] = b.pending[id]
	}
	b.pending, b.order = nil, nil
	return b.w.write(ctx, rs)
}

// SetCursor moves the named sync cursor to t, never backwards: of two syncs
// running at once, the one behind cannot undo the other's progress.
func (b *Batch) SetCursor(ctx context.Context, name string, t time.Time) error {
	return b.w.exec(ctx, `INSERT INTO sync_state (name, cursor_ts, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET
		cursor_ts = CASE WHEN excluded.cursor_ts > sync_state.cursor_ts THEN excluded.cursor_ts ELSE sync_state.cursor_ts END,
		updated_at = excluded.updated_at`, name, t.Unix(), b.a.now().Unix())
}

// The columns of each table as the rows hold them.
var (
	sessionCols = []string{"lsid", "lseq", "session_type", "start_time", "end_time", "duration_seconds", "jumpoint", "jump_group",
		"external_key", "primary_rep", "primary_customer", "host", "file_transfer_count", "file_move_count", "file_delete_count",
		"has_recording", "report", "synced_at"}
	participantCols = []string{"lsid", "seq", "kind", "gsnumber", "user_id", "username", "display_name", "public_ip", "private_ip",
		"hostname", "os", "session_owner", "seconds_involved", "invited"}
	eventCols = []string{"lsid", "seq", "ts", "event_type", "performer_type", "performer_gsnumber", "performer_name", "performer",
		"destination_type", "destination_gsnumber", "destination_name", "destination", "body", "filename", "filesize", "details"}
	attributeCols = []string{"lsid", "code_name", "display_name", "value"}
	recordingCols = []string{"lsid", "kind", "instance", "download_url", "view_url"}
)

// childTables are rewritten whole with their session; recordings are not,
// since they record downloads.
var childTables = []string{"participants", "events", "custom_attributes"}

func sessionRows(s *reporting.Session, now time.Time) (*rows, error) {
	row, err := sessionRow(s, now)
	if err != nil {
		return nil, err
	}
	events, err := eventRows(s)
	if err != nil {
		return nil, err
	}
	return &rows{lsid: s.LSID, session: row, participants: participantRows(s), events: events,
		attributes: attributeRows(s), recordings: recordingRows(s)}, nil
}

func sessionRow(s *reporting.Session, now time.Time) ([]any, error) {
	report, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var dur any
	if d, ok := s.DurationSeconds(); ok {
		dur = d
	}
	var cust, host any
	if s.PrimaryCustomer != nil {
		cust = nullStr(s.PrimaryCustomer.Name)
		host = nullStr(s.Participant(s.PrimaryCustomer.GSNumber).Name())
	}
	if host == nil && len(s.Customers) > 0 {
		host = nullStr(s.Customers[0].Hostname)
	}
	return []any{s.LSID, s.LSeq, nullStr(s.SessionType), unix(s.StartTime), unix(s.EndTime), dur,
		named(s.Jumpoint), named(s.JumpGroup), nullStr(s.ExternalKey), partyName(s.PrimaryRep), cust, host,
		s.FileTransferCount, s.FileMoveCount, s.FileDeleteCount, b2i(s.HasRecording()), string(report), now.Unix()}, nil
}

// participantRows are the customers then the representatives, numbered
// in that order.
func participantRows(s *reporting.Session) [][]any {
	var out [][]any
	for _, c := range s.Customers {
		out = append(out, []any{s.LSID, int64(len(out)), "customer", c.GSNumber, nil, nullStr(c.Username), nil,
			nullStr(c.PublicIP), nullStr(c.PrivateIP), nullStr(c.Hostname), nullStr(c.OS), nil, nil, nil})
	}
	for _, r := range s.Representatives {
		out = append(out, []any{s.LSID, int64(len(out)), "representative", r.GSNumber, nullStr(r.ID), nullStr(r.Username),
			nullStr(r.DisplayName), nullStr(r.PublicIP), nullStr(r.PrivateIP), nullStr(r.Hostname), nullStr(r.OS),
			b2i(r.SessionOwner), r.SecondsInvolved, b2i(r.Invited)})
	}
	return out
}

// eventRows hold each event with its performer and destination resolved
// to a participant's name, and what does not fit a column as JSON.
func eventRows(s *reporting.Session) ([][]any, error) {
	out := make([][]any, 0, len(s.Events))
	parties := s.Participants() // a map: linear in events, whatever the participants
	for i, e := range s.Events {
		pt, pg, pn := partyFields(e.PerformedBy)
		dt, dg, dn := partyFields(e.Destination)
		var performer, destination, size, details any
		if e.PerformedBy != nil {
			performer = nullStr(parties.Of(e.PerformedBy.GSNumber).Name())
		}
		if e.Destination != nil {
			destination = nullStr(parties.Of(e.Destination.GSNumber).Name())
		}
		if e.Filesize != nil {
			size = *e.Filesize
		}
		if len(e.Data) > 0 || len(e.Files) > 0 || len(e.SystemInformation) > 0 || len(e.Extra) > 0 {
			d, err := json.Marshal(struct {
				Data              []reporting.Value        `json:"data,omitempty"`
				Files             []reporting.File         `json:"files,omitempty"`
				SystemInformation []reporting.InfoCategory `json:"system_information,omitempty"`
				Extra             []reporting.Element      `json:"extra,omitempty"`
			}{e.Data, e.Files, e.SystemInformation, e.Extra})
			if err != nil {
				return nil, err
			}
			details = string(d)
		}
		out = append(out, []any{s.LSID, int64(i), unix(e.Timestamp), e.Type, pt, pg, pn, performer, dt, dg, dn, destination,
			nullStr(e.Body), nullStr(e.Filename), size, details})
	}
	return out, nil
}

// attributeRows: a code name sent twice keeps its last value, as a map
// would.
func attributeRows(s *reporting.Session) [][]any {
	var out [][]any
	at := map[string]int{}
	for _, c := range s.CustomAttributes {
		row := []any{s.LSID, c.CodeName, nullStr(c.DisplayName), c.Value}
		if i, seen := at[c.CodeName]; seen {
			out[i] = row
			continue
		}
		at[c.CodeName] = len(out)
		out = append(out, row)
	}
	return out
}

// recordingRows are the screen recording (kind session, instance 0) and
// each command shell recording (kind shell).
func recordingRows(s *reporting.Session) [][]any {
	var out [][]any
	if s.RecordingDownloadURL != "" {
		out = append(out, []any{s.LSID, "session", int64(0), nullStr(s.RecordingDownloadURL), nullStr(s.RecordingViewURL)})
	}
	for _, r := range s.ShellRecordings {
		out = append(out, []any{s.LSID, "shell", int64(r.Instance), nullStr(r.DownloadURL), nullStr(r.ViewURL)})
	}
	return out
}

func unix(t reporting.Timestamp) any {
	if !t.Valid {
		return nil
	}
	return t.Unix
}

func named(n *reporting.Named) any {
	if n == nil {
		return nil
	}
	return nullStr(n.Name)
}

func partyName(p *reporting.Party) any {
	if p == nil {
		return nil
	}
	return nullStr(p.Name)
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func b2i(v bool) int64 {
	if v {
		return 1
	}
	return 0
}

func partyFields(p *reporting.Party) (typ, gs, name any) {
	if p == nil {
		return nil, nil, nil
	}
	return nullStr(p.Type), nullStr(p.GSNumber), nullStr(p.Name)
}
