package appliance

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Kind sorts errors by what the user can do about them.
type Kind int

// Kinds of Error.
const (
	// Refused: the appliance answered an <error> element.
	Refused Kind = iota
	// Transport: no answer, or the answer broke off.
	Transport
	// Certificate: the appliance's certificate is not trusted.
	Certificate
	// HTTPStatus: an HTTP status other than 200 (or a redirect).
	HTTPStatus
	// Auth: the credentials were refused, or none were given.
	Auth
	// APIDisabled: an HTML page or a redirect to /login.
	APIDisabled
	// TooLarge: the answer is larger than the call allows.
	TooLarge
	// Malformed: the answer is not what the call returns.
	Malformed
)

// Error is a failed call. It never holds the request's parameters or the
// password.
type Error struct {
	// Endpoint is scheme://host/path of the request.
	Endpoint string
	// Call is the action or report asked for.
	Call string
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	Kind   Kind
	// Message is the text of the appliance's <error> element, Code its
	// code attribute and Namespace its namespace, when there was one.
	Message, Code, Namespace string
	// Err is the cause, in words.
	Err error
	// Retryable reports whether trying again could help.
	Retryable bool
	// RetryAfter is what a 429's Retry-After asked for.
	RetryAfter time.Duration
	// Attempts is how many tries were made, when more than one.
	Attempts int

	// secrets are values Error never shows (the password, the client
	// secret, tokens), in case the appliance quoted them back.
	secrets *secretList
}

// secretList is behind a pointer so that %#v of an Error shows an address,
// never the values.
type secretList struct{ values []string }

func (l *secretList) list() []string {
	if l == nil {
		return nil
	}
	return l.values
}

// Error says which call failed at which endpoint, and why.
func (e *Error) Error() string {
	msg := ""
	switch {
	case e.Err != nil:
		// A transport error can quote what the other side chose (a
		// certificate's names): escaped too.
		msg = textsafe.Escape(e.Err.Error())
	case e.Message != "":
		// The appliance's words are shown to a person: escaped, bounded.
		msg = "the appliance refused: " + textsafe.EscapeMax(strings.TrimSpace(e.Message), 300)
	default:
		msg = "failed"
	}
	what := e.Call
	switch {
	case what == "":
		what = e.Endpoint
	case e.Endpoint != "":
		what += " at " + e.Endpoint
	}
	if e.Attempts > 1 {
		msg += fmt.Sprintf(" (after %d attempts)", e.Attempts)
	}
	if e.Kind == Refused && IsPermission(e) {
		msg += "; " + NeededPermission(e.Call) + "; brcsapi info shows what this account has"
	}
	if userAccountsOff(e) {
		msg += "; this appliance takes API accounts only: create one at /login > Management > API Configuration and give its client id (--client-id) and secret"
	}
	return redact(what+": "+msg, e.secrets.list())
}

// Redacted stands where a password, secret or token was.
const Redacted = "[redacted]"

// redact replaces every secret in s (also as text escapes or encoding may
// have shown it: percent-encoded).
func redact(s string, secrets []string) string {
	for _, v := range secrets {
		if len(v) < 3 {
			// A one- or two-character password would blank out words.
			continue
		}
		s = strings.ReplaceAll(s, v, Redacted)
		if q := brcs.Encode(v); q != v {
			s = strings.ReplaceAll(s, q, Redacted)
		}
		if q := textsafe.Escape(v); q != v {
			s = strings.ReplaceAll(s, q, Redacted)
		}
	}
	return s
}

// userAccountsOff reports whether the appliance said that it no longer
// takes user accounts for the API.
func userAccountsOff(e *Error) bool {
	m := strings.ToLower(e.Message)
	return strings.Contains(m, "user account") && (strings.Contains(m, "disabled") || strings.Contains(m, "not allowed") ||
		strings.Contains(m, "no longer") || strings.Contains(m, "not available") || strings.Contains(m, "deprecated") || strings.Contains(m, "api account"))
}

// NeededPermission says which permission a call needs, in both
// generations' names: the guide's user accounts and current API accounts.
func NeededPermission(call string) string {
	switch call {
	case "get_api_info":
		return "any valid account may call get_api_info"
	case "check_health", "get_session_attributes":
		return call + " needs perm_command read_only or full_access (an API account), or perm_admin and perm_use_command_api (a user account)"
	case "set_session_attributes", "terminate_session", "import_jump_shortcut":
		return call + " needs perm_command full_access (an API account), or perm_admin and perm_use_command_api (a user account)"
	case "backup":
		return "the backup needs perm_backup (an API account), or perm_admin (a user account)"
	case "AccessSessionRecording", "CommandShellRecording":
		return call + " needs perm_reporting_support (an API account), or perm_use_reporting_api and perm_view_sd_recordings (a user account)"
	case "":
		return "the call needs a permission this account lacks"
	}
	return call + " needs perm_reporting_support (an API account), or perm_use_reporting_api and perm_view_reports (a user account)"
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Text is why the call failed, without the call's name: the appliance's
// message, or the transport's error, with the client's secrets redacted
// (as in Error), for a line that names the call itself (a Nagios line).
func (e *Error) Text() string {
	if e.Message != "" && !IsClientRefused(e) {
		return redact(e.Message, e.secrets.list())
	}
	if e.Err != nil {
		return redact(e.Err.Error(), e.secrets.list())
	}
	return redact(e.Message, e.secrets.list())
}

func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

func msgHas(e *Error, words ...string) bool {
	m := strings.ToLower(e.Message)
	for _, w := range words {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// IsAuth reports whether the appliance refused the credentials ("Login
// failed", "Invalid credentials", HTTP 401, code authentication_failed).
func IsAuth(err error) bool {
	e := asError(err)
	return e != nil && (e.Kind == Auth || e.Code == "authentication_failed" ||
		msgHas(e, "login failed", "invalid credentials", "invalid username", "authentication failed"))
}

// IsPermission reports whether the account lacks a permission the call
// needs. The guide's appliance answers "Document Not Found" then.
func IsPermission(err error) bool {
	e := asError(err)
	return e != nil && (e.Status == 403 || msgHas(e, "document not found", "permission", "not allowed", "not authorized"))
}

// IsNotFound reports whether what the call names does not exist: an
// unknown or ended session, an unknown action (404 or an <error> saying
// so). A missing permission ("Document Not Found") is not counted here.
func IsNotFound(err error) bool {
	if errors.Is(err, ErrNoSession) {
		return true
	}
	e := asError(err)
	if e == nil || IsPermission(err) {
		return false
	}
	return e.Status == 404 || msgHas(e, "not found", "no such", "invalid session", "not active", "unknown")
}

// IsAPIDisabled reports whether the appliance answered an HTML page or
// redirected to /login: the XML API is off, or the address is not the
// appliance's public site.
func IsAPIDisabled(err error) bool {
	e := asError(err)
	return e != nil && (e.Kind == APIDisabled || msgHas(e, "api is disabled", "api is not enabled"))
}

// IsCertificate reports whether the appliance's certificate is not trusted.
func IsCertificate(err error) bool {
	e := asError(err)
	return e != nil && e.Kind == Certificate
}

// IsTransport reports whether the appliance could not be reached or the
// answer broke off.
func IsTransport(err error) bool {
	e := asError(err)
	return e != nil && e.Kind == Transport
}

// APIError is an <error> element: its text, code attribute and namespace.
type APIError struct {
	Message, Code, Namespace string
}

// readError returns the root <error> of body (any namespace), or nil.
func readError(body []byte) *APIError {
	e, _ := ReadError(bytes.NewReader(body))
	return e
}

// ReadError reads the root element's start from r: when it is <error>
// (in any namespace, or none), it returns the error's text and attributes;
// otherwise it returns nil and the root element's local name. It reads at
// most 64 KiB.
func ReadError(r io.Reader) (*APIError, string) {
	dec := xml.NewDecoder(io.LimitReader(r, maxErrorBody))
	dec.Strict = false
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, ""
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if se.Name.Local != "error" {
			return nil, se.Name.Local
		}
		return errorElement(dec, se), "error"
	}
}

func errorElement(dec *xml.Decoder, se xml.StartElement) *APIError {
	e := &APIError{Namespace: se.Name.Space}
	for _, a := range se.Attr {
		if a.Name.Local == "code" {
			e.Code = a.Value
		}
	}
	var text strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if text.Len() < 4096 {
				text.Write(t)
			}
		}
	}
	e.Message = strings.Join(strings.Fields(text.String()), " ")
	if e.Message == "" {
		e.Message = "an error with no message"
	}
	return e
}

func isCertificateError(err error) bool {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	return errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// explain adds advice to the errors people meet most.
func explain(err error) error {
	switch {
	case isCertificateError(err):
		return fmt.Errorf("%v (the appliance's certificate is not trusted: give its CA with --ca-cert; checks are never turned off)", err)
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("timed out: %v", err)
	}
	return err
}
