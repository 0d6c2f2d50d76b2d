package archive

// migration is one versioned step of the schema. The SQL is the common
// subset of SQLite and PostgreSQL; steps are applied in order, each in the
// transaction that records it, and never edited once released: a change is
// a new step.
type migration struct {
	version int
	name    string
	stmts   []string
}

var migrations = []migration{
	{1, "sessions, participants, events, custom attributes, recordings, sync state", []string{
		`CREATE TABLE sessions (
			lsid TEXT PRIMARY KEY,
			lseq BIGINT,
			session_type TEXT,
			start_time BIGINT,
			end_time BIGINT,
			duration_seconds BIGINT,
			jumpoint TEXT,
			jump_group TEXT,
			external_key TEXT,
			primary_rep TEXT,
			primary_customer TEXT,
			host TEXT,
			file_transfer_count BIGINT,
			file_move_count BIGINT,
			file_delete_count BIGINT,
			has_recording BIGINT,
			report TEXT NOT NULL,
			synced_at BIGINT NOT NULL
		)`,
		`CREATE TABLE participants (
			lsid TEXT NOT NULL REFERENCES sessions(lsid) ON DELETE CASCADE,
			seq BIGINT NOT NULL,
			kind TEXT NOT NULL,
			gsnumber TEXT,
			user_id TEXT,
			username TEXT,
			display_name TEXT,
			public_ip TEXT,
			private_ip TEXT,
			hostname TEXT,
			os TEXT,
			session_owner BIGINT,
			seconds_involved BIGINT,
			invited BIGINT,
			PRIMARY KEY (lsid, seq)
		)`,
		`CREATE TABLE events (
			lsid TEXT NOT NULL REFERENCES sessions(lsid) ON DELETE CASCADE,
			seq BIGINT NOT NULL,
			ts BIGINT,
			event_type TEXT NOT NULL,
			performer_type TEXT,
			performer_gsnumber TEXT,
			performer_name TEXT,
			performer TEXT,
			destination_type TEXT,
			destination_gsnumber TEXT,
			destination_name TEXT,
			destination TEXT,
			body TEXT,
			filename TEXT,
			filesize BIGINT,
			details TEXT,
			PRIMARY KEY (lsid, seq)
		)`,
		`CREATE TABLE custom_attributes (
			lsid TEXT NOT NULL REFERENCES sessions(lsid) ON DELETE CASCADE,
			code_name TEXT NOT NULL,
			display_name TEXT,
			value TEXT,
			PRIMARY KEY (lsid, code_name)
		)`,
		`CREATE TABLE recordings (
			lsid TEXT NOT NULL REFERENCES sessions(lsid) ON DELETE CASCADE,
			kind TEXT NOT NULL,
			instance BIGINT NOT NULL,
			download_url TEXT,
			view_url TEXT,
			path TEXT,
			size BIGINT,
			sha256 TEXT,
			PRIMARY KEY (lsid, kind, instance)
		)`,
		`CREATE TABLE sync_state (
			name TEXT PRIMARY KEY,
			cursor_ts BIGINT NOT NULL,
			updated_at BIGINT NOT NULL
		)`,
	}},
	{2, "indexes for ticket, host, technician and time", []string{
		`CREATE INDEX sessions_external_key ON sessions (external_key)`,
		`CREATE INDEX sessions_host ON sessions (host)`,
		`CREATE INDEX sessions_primary_rep ON sessions (primary_rep)`,
		`CREATE INDEX sessions_start_time ON sessions (start_time)`,
		`CREATE INDEX sessions_end_time ON sessions (end_time)`,
		`CREATE INDEX participants_username ON participants (username)`,
		`CREATE INDEX participants_hostname ON participants (hostname)`,
		`CREATE INDEX events_ts ON events (ts)`,
		`CREATE INDEX custom_attributes_value ON custom_attributes (code_name, value)`,
	}},
}
