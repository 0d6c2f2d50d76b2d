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
	// Perms, when set, are the permissions get_api_info lists instead of
	// the guide's five: an API account's, by their current names.
	Perms []Perm
}

// Perm is one permission as get_api_info lists it.
type Perm struct{ Name, Value string }

// APIAccount is an OAuth API account (PA 16.1 / RS 16.2 and later),
// created at /login > Management > API Configuration.
type APIAccount struct {
	ID     int
	Secret string
	// Perms are the account's permissions by their current names, in the
	// order get_api_info lists them: perm_command (full_access, read_only
	// or deny), perm_reporting_support, perm_backup, ... ("1" or "0").
	Perms []Perm
	// Disabled accounts mint no token (unauthorized_client).
	Disabled bool
}

// Perm returns the value of the named permission, or "".
func (a *APIAccount) Perm(name string) string {
	for _, p := range a.Perms {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
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

	// APIAccounts are the OAuth API accounts by client id.
	APIAccounts map[string]*APIAccount
	// NoOAuth answers /oauth2/token 404, as appliances before PA 16.1 /
	// RS 16.2 do.
	NoOAuth bool
	// RawBasic reads the token request's Basic credentials as they are,
	// without the form decoding of RFC 6749 2.3.1 (how some servers
	// read them): a secret holding + / = then matches only when sent raw.
	RawBasic bool
	// UserAccountsOff refuses user accounts with an <error> saying so, as
	// an appliance that takes API accounts only.
	UserAccountsOff bool
	// TokenLifetime is how long a minted token is valid (default one
	// hour); expires_in says it in whole seconds, rounded up.
	TokenLifetime time.Duration
	// TokenCap is how many valid tokens an API account may hold (default
	// 30): minting one more silently invalidates the oldest.
	TokenCap int
	// HourlyLimit is how many calls an API account may make in an hour
	// (0: unlimited; real appliances allow 15,000). Answers then carry
	// X-RateLimit-Limit and X-RateLimit-Remaining, and a call over the
	// limit is answered 429.
	HourlyLimit int
	// Clock is the stand-in's clock for tokens and the hourly limit (nil:
	// the real clock), so tests can live through a day at once.
	Clock func() time.Time
}

// CurrentVersion is the API version of current appliances (PRA/RS 25.x).
const CurrentVersion = "1.25.0"

// The stand-in's API accounts (the README's OAuth walkthrough uses
// FullClient).
const (
	// FullClient has every permission.
	FullClient       = "5f3c0a1e9b7d4c2a8e6f1b3d5a7c9e0f"
	FullClientSecret = "full-secret-Xq7+/wK2=z"
	// ReadOnlyClient may read with the Command API (perm_command read_only).
	ReadOnlyClient       = "7a1b2c3d4e5f60718293a4b5c6d7e8f9"
	ReadOnlyClientSecret = "read-only-secret"
	// ReportClient may only download support session reports.
	ReportClient       = "9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b"
	ReportClientSecret = "report-secret"
)

// FullPerms are the nine permissions of a full-access API account, as a
// real RS 19.1 account's get_api_info lists them.
func FullPerms() []Perm {
	return []Perm{{"perm_command", "full_access"}, {"perm_reporting_support", "1"}, {"perm_reporting_license", "1"},
		{"perm_reporting_vault", "1"}, {"perm_backup", "1"}, {"perm_vault_backup", "1"}, {"perm_ecm", "1"},
		{"perm_scim", "1"}, {"perm_configuration", "1"}}
}

// perms returns FullPerms with the named values changed.
func perms(changes ...Perm) []Perm {
	out := FullPerms()
	for _, c := range changes {
		for i := range out {
			if out[i].Name == c.Name {
				out[i].Value = c.Value
			}
		}
	}
	return out
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
		APIAccounts: map[string]*APIAccount{
			FullClient:     {ID: 101, Secret: FullClientSecret, Perms: FullPerms()},
			ReadOnlyClient: {ID: 102, Secret: ReadOnlyClientSecret, Perms: perms(Perm{"perm_command", "read_only"}, Perm{"perm_backup", "0"}, Perm{"perm_reporting_support", "0"})},
			ReportClient: {ID: 103, Secret: ReportClientSecret, Perms: perms(Perm{"perm_command", "deny"}, Perm{"perm_backup", "0"},
				Perm{"perm_vault_backup", "0"}, Perm{"perm_ecm", "0"}, Perm{"perm_scim", "0"}, Perm{"perm_configuration", "0"})},
		},
		TokenLifetime: time.Hour,
		TokenCap:      30,
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
