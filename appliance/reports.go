package appliance

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"net/http"
	"strings"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// The Reporting API (/api/reporting): every report streams through Open
// and is decoded one element at a time by package reporting.

// reportCall checks q (refusing it before anything is sent) and builds the
// call.
func reportCall(q reporting.Query) (Call, error) {
	ps, err := q.Params()
	if err != nil {
		return Call{}, err
	}
	call := Call{Path: ReportPath, Name: string(q.Report)}
	for _, p := range ps {
		call.Params.Add(p.Key, p.Value)
	}
	return call, nil
}

// OpenReport sends q and returns the answer as it comes, for a caller that
// keeps the XML as it is (an export in the appliance's own format). The
// caller checks for an <error> answer.
func (c *Client) OpenReport(ctx context.Context, q reporting.Query) (*Response, error) {
	call, err := reportCall(q)
	if err != nil {
		return nil, err
	}
	return c.Open(ctx, call)
}

// CopyReport sends q (an AccessSession, AccessSessionListing,
// AccessSessionSummary or Team query) and copies the answer to w as the
// appliance sent it, checked as it streams with o's limits (see
// reporting.Copy): an <error>, at the root or inside the list, a cut
// answer, an element over the limits and a hostile lsid are an *Error, and
// what was written to w must then be dropped. "No results" is written as
// the empty list. It returns the number of elements copied.
func (c *Client) CopyReport(ctx context.Context, q reporting.Query, w io.Writer, o reporting.Options) (int, error) {
	n, err := c.copyReport(ctx, q, w, o)
	return n, c.seal(err) // the appliance's <error> may quote a secret back
}

func (c *Client) copyReport(ctx context.Context, q reporting.Query, w io.Writer, o reporting.Options) (int, error) {
	resp, err := c.OpenReport(ctx, q)
	if err != nil {
		return 0, err
	}
	defer resp.Close()
	n, err := reporting.Copy(w, resp.Body, q.Report, o)
	if err != nil {
		return n, decodeErr(resp.Endpoint, string(q.Report), err)
	}
	return n, nil
}

// decodeErr gives a decoding failure the call's context: an appliance
// <error> becomes an *Error of kind Refused (Auth for a refused login), a
// cut stream one of kind Transport.
func decodeErr(endpoint, call string, err error) error {
	var ae *reporting.APIError
	if errors.As(err, &ae) {
		return refused(endpoint, call, &APIError{Message: reporting.Clip(ae.Message), Code: reporting.Clip(ae.Code)})
	}
	var e *Error
	if errors.As(err, &e) {
		return err // the transport's own (idle timeout, broken connection)
	}
	kind := Malformed
	if errors.Is(err, reporting.ErrTruncated) {
		kind = Transport
	}
	var tl *reporting.TooLargeError
	if errors.As(err, &tl) {
		kind = TooLarge
	}
	return &Error{Endpoint: endpoint, Call: call, Status: http.StatusOK, Kind: kind, Err: err}
}

// report is the one streaming path behind every report call.
func report[T any](c *Client, ctx context.Context, q reporting.Query, decode func(io.Reader) iter.Seq2[*T, error]) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		resp, err := c.OpenReport(ctx, q)
		if err != nil {
			yield(nil, err)
			return
		}
		defer resp.Close()
		for v, err := range decode(resp.Body) {
			if err != nil {
				yield(nil, c.seal(decodeErr(resp.Endpoint, string(q.Report), err)))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// Sessions streams an AccessSession report, one session at a time as it
// arrives. No sessions (an empty list, or the appliance's "no results"
// <error> in English or French) yields nothing; any other <error> is an
// *Error, and so is a session whose lsid is not 32 lower-case hex digits.
// Sessions outside the time window q asks for (see Query.Holds), and
// repeats within the answer, are dropped and counted in o.Dropped. Stop
// early by breaking out of the loop.
func (c *Client) Sessions(ctx context.Context, q reporting.Query, o reporting.Options) iter.Seq2[*reporting.Session, error] {
	q.Report = reporting.AccessSession
	return report(c, ctx, q, func(r io.Reader) iter.Seq2[*reporting.Session, error] {
		return func(yield func(*reporting.Session, error) bool) {
			for s, err := range reporting.Sessions(r, o) {
				if err == nil && !q.Holds(s) {
					if o.Dropped != nil {
						o.Dropped.OutsideWindow++
					}
					continue
				}
				if !yield(s, err) || err != nil {
					return
				}
			}
		}
	})
}

// Listing streams an AccessSessionListing report.
func (c *Client) Listing(ctx context.Context, q reporting.Query, o reporting.Options) iter.Seq2[*reporting.SessionSummary, error] {
	q.Report = reporting.AccessSessionListing
	return report(c, ctx, q, func(r io.Reader) iter.Seq2[*reporting.SessionSummary, error] { return reporting.Listing(r, o) })
}

// Summary streams an AccessSessionSummary report (report_type=user).
func (c *Client) Summary(ctx context.Context, q reporting.Query, o reporting.Options) iter.Seq2[*reporting.UserSummary, error] {
	q.Report = reporting.AccessSessionSummary
	return report(c, ctx, q, func(r io.Reader) iter.Seq2[*reporting.UserSummary, error] { return reporting.Summaries(r, o) })
}

// Team streams a Team report; w, when not nil, receives the report's
// start and end times.
func (c *Client) Team(ctx context.Context, q reporting.Query, o reporting.Options, w *reporting.TeamWindow) iter.Seq2[*reporting.TeamActivity, error] {
	q.Report = reporting.Team
	return report(c, ctx, q, func(r io.Reader) iter.Seq2[*reporting.TeamActivity, error] { return reporting.Teams(r, o, w) })
}

// IsExpired reports whether a recording is no longer kept by the
// appliance ("This recording has expired and can no longer be viewed or
// downloaded.").
func IsExpired(err error) bool {
	e := asError(err)
	return e != nil && e.Kind == Refused && msgHas(e, "expired")
}

// openRecording sends a recording query and checks the start of the body:
// XML is the appliance's <error>, never a recording.
func (c *Client) openRecording(ctx context.Context, q reporting.Query) (*Response, io.Reader, error) {
	if q.Report != reporting.AccessSessionRecording && q.Report != reporting.CommandShellRecording {
		return nil, nil, fmt.Errorf("%s is not a recording", q.Report)
	}
	resp, err := c.OpenReport(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	head := make([]byte, 512)
	n, err := io.ReadFull(resp.Body, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		resp.Close()
		return nil, nil, err
	}
	head = head[:n]
	fail := func(kind Kind, msg string) error {
		resp.Close()
		return &Error{Endpoint: resp.Endpoint, Call: string(q.Report), Status: http.StatusOK, Kind: kind, Err: errors.New(msg)}
	}
	trimmed := bytes.TrimSpace(head)
	if len(trimmed) == 0 {
		return nil, nil, fail(Malformed, "the appliance answered with an empty recording")
	}
	text := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain")
	if trimmed[0] == '<' && !text {
		rest, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		resp.Close()
		if ae, _ := ReadError(io.MultiReader(bytes.NewReader(head), bytes.NewReader(rest))); ae != nil {
			return nil, nil, refused(resp.Endpoint, string(q.Report), ae)
		}
		return nil, nil, &Error{Endpoint: resp.Endpoint, Call: string(q.Report), Status: http.StatusOK, Kind: Malformed, Err: errors.New("the appliance answered with XML or HTML, not a recording")}
	}
	return resp, io.MultiReader(bytes.NewReader(head), resp.Body), nil
}

// Recording streams the recording q asks for (an AccessSessionRecording
// or CommandShellRecording query) to w. An expired recording is an error
// for which IsExpired holds; nothing is written then.
func (c *Client) Recording(ctx context.Context, q reporting.Query, w io.Writer) (*Download, error) {
	resp, body, err := c.openRecording(ctx, q)
	if err != nil {
		return nil, err
	}
	defer resp.Close()
	return copyDownload(resp, body, w)
}

func copyDownload(resp *Response, body io.Reader, w io.Writer) (*Download, error) {
	h := sha256.New()
	d := &Download{Name: SafeName(resp.Header.Get("Content-Disposition")), ContentType: resp.Header.Get("Content-Type")}
	var err error
	if d.Size, err = io.Copy(io.MultiWriter(w, h), body); err != nil {
		return nil, err
	}
	d.SHA256 = hex.EncodeToString(h.Sum(nil))
	return d, nil
}
