package appliance

import (
	"maps"
	"slices"
)

// permissionWords say what each known permission is, in both
// generations: the guide's user accounts and current API accounts.
var permissionWords = map[string]string{
	"perm_use_command_api":    "allowed to use the Command API",
	"perm_use_reporting_api":  "allowed to use the Reporting API",
	"perm_admin":              "administrator",
	"perm_view_reports":       "which session reports it may view",
	"perm_view_sd_recordings": "allowed to view session recordings",

	"perm_command":                     "Command API access: full_access, read_only or deny",
	"perm_reporting_support":           "support session reports and recordings (Reporting API)",
	"perm_reporting_license":           "license usage reports",
	"perm_reporting_vault":             "Vault reports",
	"perm_reporting_jump_item":         "Jump Item reports",
	"perm_reporting_syslog":            "syslog reports",
	"perm_reporting_presentation":      "presentation reports",
	"perm_reporting_archive":           "archive reports",
	"perm_backup":                      "configuration backups (Backup API)",
	"perm_vault_backup":                "Vault backups",
	"perm_ecm":                         "Endpoint Credential Manager",
	"perm_scim":                        "SCIM API",
	"perm_configuration":               "Configuration API",
	"perm_configuration_vault_account": "Configuration API: Vault accounts",
	"perm_real_time_state":             "real-time state API",
}

// PermissionWords says what the permission get_api_info names (as in
// APIInfo.Permissions) lets the account do, and whether the client knows
// it: a permission of a later version is kept, but not described.
func PermissionWords(name string) (string, bool) {
	w, ok := permissionWords[name]
	return w, ok
}

// Permission is one of get_api_info's permissions, and what it lets the
// account do.
type Permission struct {
	Name, Value string
	// Words are PermissionWords': "" and Known false for a permission the
	// client does not know (of a later version), kept but not described.
	Words string
	Known bool
}

// PermissionList is the account's permissions sorted by name, each with
// what it lets the account do.
func (a *APIInfo) PermissionList() []Permission {
	out := make([]Permission, 0, len(a.Permissions))
	for _, n := range slices.Sorted(maps.Keys(a.Permissions)) {
		words, known := PermissionWords(n)
		out = append(out, Permission{Name: n, Value: a.Permissions[n], Words: words, Known: known})
	}
	return out
}
