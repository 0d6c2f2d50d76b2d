package appliancetest

import "time"

// User is an account on the stand-in, with the permissions the guide
// names.
type User struct {
	ID       int
	Password string
	// Admin is "Administrator".
	Admin bool
	// CommandAPI is "Allowed to Use Command API".
	CommandAPI bool
	// ReportingAPI is "Allowed to use reporting API".
	ReportingAPI bool
	// ViewReports is none, user_sessions, team_sessions or all_sessions.
	ViewReports string
	// ViewRecordings is "Allowed to view access session recordings".
	ViewRecordings bool
}

// MayCommand reports whether u may use the Command API's actions (other
// than get_api_info): an administrator allowed to use it.
func (u *User) MayCommand() bool { return u.Admin && u.CommandAPI }

// Session is an active session.
type Session struct {
	// Attrs are the custom attributes by code name (external_key too).
	Attrs map[string]string
}

// Health is what check_health and the probe report.
type Health struct {
	Appliance, ApplianceID, Version string
	Success                         bool
	ErrorMessage                    string
	// FailoverRole is none, primary or backup.
	FailoverRole   string
	SharedIPs      []string
	LastSync       time.Time
	LastSyncStatus string
}

// Data is the stand-in's state. Tests change it with Server.Update.
type Data struct {
	// APIVersion is what get_api_info reports: "1.14.0" by default;
	// "1.13.0" does not know import_jump_shortcut.
	APIVersion string
	// Namespace is the namespace style of XML answers.
	Namespace NamespaceStyle
	// Users by name.
	Users map[string]*User
	// CustomFields are the configured custom fields: code name to display
	// name. external_key is always known.
	CustomFields map[string]string
	// Teams, PersonalGroups, Jumpoints, JumpPolicies and SessionPolicies
	// are code names import_jump_shortcut accepts (personal groups are
	// refused, as the guide says).
	Teams, PersonalGroups, Jumpoints, JumpPolicies, SessionPolicies []string
	// Sessions are the active sessions by lsid.
	Sessions map[string]*Session
	// Shortcuts are the imported Jump shortcuts, their parameters without
	// the credentials.
	Shortcuts []map[string]string
	Health    Health
	// BackupSize is the backup's size in bytes; BackupName the file name
	// its Content-Disposition suggests ("" sends none).
	BackupSize int64
	BackupName string
	// Reports is the Reporting API's store (appliancetest/reporting.go).
	Reports *Reports
	// Now is the server clock for get_api_info's timestamp (zero: the
	// real clock).
	Now time.Time
}

// The default accounts of the stand-in (as the guide's examples, the
// password of "test" is "test"; the README walkthrough uses them).
const (
	// AdminUser has every permission.
	AdminUser = "test"
	// CommandUser may use the Command API but is no administrator.
	CommandUser = "commander"
	// ReportUser may use the reporting API and view its team's sessions.
	ReportUser = "reporter"
	// NoPermUser has no permission at all.
	NoPermUser = "nobody"
)

// Session IDs of the stand-in's active sessions (from the guide).
const (
	SessionA = "c69a8e10bea9428f816cfababe9815fe"
	SessionB = "da4b510978a541d49398e88c66e28475"
)

// DefaultData is the stand-in's state when it starts.
func DefaultData() *Data {
	return &Data{
		APIVersion: "1.14.0",
		Users: map[string]*User{
			AdminUser:   {ID: 1, Password: "test", Admin: true, CommandAPI: true, ReportingAPI: true, ViewReports: "all_sessions", ViewRecordings: true},
			CommandUser: {ID: 2, Password: "commander-pw", CommandAPI: true, ViewReports: "none"},
			ReportUser:  {ID: 3, Password: "reporter-pw", ReportingAPI: true, ViewReports: "team_sessions"},
			NoPermUser:  {ID: 4, Password: "nobody-pw", ViewReports: "none"},
		},
		CustomFields:    map[string]string{"custom_field1": "Custom Field 1", "priority": "Priority"},
		Teams:           []string{"remote_access", "support"},
		PersonalGroups:  []string{"personal_test"},
		Jumpoints:       []string{"London", "Paris"},
		JumpPolicies:    []string{"Notify"},
		SessionPolicies: []string{"Servers"},
		Sessions: map[string]*Session{
			SessionA: {Attrs: map[string]string{}},
			SessionB: {Attrs: map[string]string{"external_key": "INC0001"}},
		},
		Health: Health{Appliance: "access.example.com", ApplianceID: "50adeb59f0f04163b09b7591af1949ea",
			Version: "15.3.1 (12345-749b17ca)", Success: true, FailoverRole: "none"},
		BackupSize: 256 << 10,
		BackupName: "access.example.com-backup.nsb",
		Reports:    DefaultReports(),
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
