package gen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance"
	"github.com/brcs-toolkit/brcs/brcs"
	"github.com/brcs-toolkit/brcs/internal/textsafe"
)

// Fetcher gets scripts from an appliance's client scripting API through
// an *appliance.Client, whose options (certificates, timeouts, attempts,
// the rate limit, plain HTTP or not) are the fetch's. It is safe for
// concurrent use.
type Fetcher struct {
	client   *appliance.Client
	maxBytes int64
}

// NewFetcher returns a Fetcher that asks the appliance of c. The client
// needs no credentials: the client scripting API takes none. Answers
// larger than brcs.DefaultMaxSize are refused.
func NewFetcher(c *appliance.Client) *Fetcher {
	return &Fetcher{client: c, maxBytes: brcs.DefaultMaxSize}
}

// Fetched is a script the appliance generated.
type Fetched struct {
	// Script is the script, validated.
	Script []byte
	// Name is the file name the appliance suggested, when it is a plain
	// *.brcs-<site> name; "" otherwise.
	Name string
	// Warnings are the validator's warnings about Script, to be shown.
	Warnings []brcs.Diagnostic
}

// FetchError is a failed fetch. It never holds the request's query, which
// may hold a password.
type FetchError struct {
	// Endpoint is scheme://host/path of the request.
	Endpoint string
	// Status is the HTTP status, 0 when there was no answer.
	Status int
	Err    error
	// Retryable reports whether trying again could help.
	Retryable bool
}

func (e *FetchError) Error() string { return fmt.Sprintf("fetching from %s: %v", e.Endpoint, e.Err) }
func (e *FetchError) Unwrap() error { return e.Err }

// Fetch asks the appliance to generate a script running c, checks the
// answer and returns the script. c may hold a password (a login script):
// it is sent to the appliance only, over the checked connection, and
// appears in no error.
func (f *Fetcher) Fetch(ctx context.Context, cat *brcs.Catalogue, c Command) (*Fetched, error) {
	if c.Action == "delete_script_file" {
		return nil, errors.New("the appliance adds delete_script_file to every script it generates; ask for the command that comes before it")
	}
	m := c.Model()
	if errs := brcs.Errors(brcs.ValidateCommand(m, cat)); len(errs) > 0 {
		return nil, &InvalidError{What: "the " + c.Action + " command", Findings: errs}
	}
	endpoint := f.client.Base() + appliance.ScriptPath
	call := appliance.Call{Path: appliance.ScriptPath, RawQuery: "type=rep&operation=generate&" + m.String(), NoAuth: true}
	// The body is checked here, not by the client, so that a broken-off
	// or unusable answer is retried as a connection failure is.
	body, header, err := f.client.Fetch(ctx, call, f.maxBytes)
	if err != nil {
		return nil, fetchError(endpoint, err)
	}
	fail := func(format string, args ...any) error {
		return &FetchError{Endpoint: endpoint, Status: http.StatusOK, Err: fmt.Errorf(format, args...)}
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, fail("the appliance answered with an empty body")
	}
	if ae, _ := appliance.ReadError(bytes.NewReader(body)); ae != nil {
		return nil, fail("the appliance refused: %s", textsafe.EscapeMax(strings.TrimSpace(ae.Message), 300)) // the appliance's words, shown to a person
	}
	if err := CheckScript(cat, body, "the script the appliance sent"); err != nil {
		return nil, fail("%w", err)
	}
	got := &Fetched{Script: body, Name: suggestedName(header.Get("Content-Disposition"))}
	// The answer must be what was asked (see compare.go).
	if got.Warnings, err = CheckAnswer(cat, c, got.Script); err != nil {
		return nil, fail("%w", err)
	}
	return got, nil
}

// escaped is an error whose text may quote what the other side chose (a
// certificate's names and subject, in x509's errors): shown escaped, so
// on one line and with no control character.
type escaped struct{ err error }

func (e escaped) Error() string { return textsafe.Escape(e.err.Error()) }
func (e escaped) Unwrap() error { return e.err }

// fetchError turns the client's error into a FetchError.
func fetchError(endpoint string, err error) error {
	var ae *appliance.Error
	if !errors.As(err, &ae) {
		return &FetchError{Endpoint: endpoint, Err: escaped{err}}
	}
	cause := ae.Err
	if cause != nil {
		cause = escaped{cause}
	}
	switch {
	case ae.Kind == appliance.TooLarge:
		cause = fmt.Errorf("%v; no script is that large", cause)
	case cause == nil:
		cause = errors.New(textsafe.EscapeMax(strings.TrimSpace(ae.Message), 300))
	}
	if ae.Attempts > 1 {
		cause = fmt.Errorf("%w (after %d attempts)", cause, ae.Attempts)
	}
	return &FetchError{Endpoint: endpoint, Status: ae.Status, Err: cause, Retryable: ae.Retryable}
}

// suggestedName returns the Content-Disposition file name when it is a
// plain *.brcs-<site> name (never a path).
func suggestedName(cd string) string {
	_, params, err := mime.ParseMediaType(cd)
	if err != nil {
		return ""
	}
	name := params["filename"]
	if name == "" || name != filepath.Base(name) || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") ||
		strings.HasPrefix(name, "-") || !textsafe.Clean(name) {
		return ""
	}
	if len(brcs.CheckFileName(name)) != 0 {
		return ""
	}
	return name
}
