package appliance

import (
	"context"
	"iter"

	"github.com/brcs-toolkit/brcs/appliance/reporting"
)

// SessionsWalk streams the AccessSession sessions of the range wk walks,
// its windows adapting to how many sessions each holds
// (reporting.Walker.Stream): a quiet month takes a few requests, not one
// an hour. wk.ID and wk.Edge, when nil, are the session's lsid and
// reporting.OnEdge. progress, when not nil, is told after each window.
func (c *Client) SessionsWalk(ctx context.Context, wk reporting.Walker[reporting.Session], o reporting.Options, progress func(reporting.Progress)) iter.Seq2[*reporting.Session, error] {
	if wk.ID == nil {
		wk.ID = func(s *reporting.Session) string { return s.LSID }
	}
	if wk.Edge == nil {
		wk.Edge = reporting.OnEdge
	}
	return wk.Stream(ctx, func(ctx context.Context, w reporting.Window) iter.Seq2[*reporting.Session, error] {
		return c.Sessions(ctx, w.Query, o)
	}, progress)
}

// ListingWalk streams the AccessSessionListing rows of the range wk walks,
// as SessionsWalk does; wk.ID, when nil, is the row's lsid.
func (c *Client) ListingWalk(ctx context.Context, wk reporting.Walker[reporting.SessionSummary], o reporting.Options, progress func(reporting.Progress)) iter.Seq2[*reporting.SessionSummary, error] {
	if wk.ID == nil {
		wk.ID = func(s *reporting.SessionSummary) string { return s.LSID }
	}
	return wk.Stream(ctx, func(ctx context.Context, w reporting.Window) iter.Seq2[*reporting.SessionSummary, error] {
		return c.Listing(ctx, w.Query, o)
	}, progress)
}

// SummaryOver yields the AccessSessionSummary rows of each window in turn,
// each user once (reporting.Ranged). A summary's averages do not add up
// across windows: ask for one window to have them whole.
func (c *Client) SummaryOver(ctx context.Context, ws []reporting.Window, o reporting.Options) iter.Seq2[*reporting.UserSummary, error] {
	return reporting.Ranged(ws, func(u *reporting.UserSummary) string { return u.ID }, nil, func(w reporting.Window) iter.Seq2[*reporting.UserSummary, error] {
		return c.Summary(ctx, w.Query, o)
	})
}

// TeamOver yields the Team activities of each window in turn: a team
// active in several windows comes once for each (no deduplication). It
// stops at the first error.
func (c *Client) TeamOver(ctx context.Context, ws []reporting.Window, o reporting.Options) iter.Seq2[*reporting.TeamActivity, error] {
	return func(yield func(*reporting.TeamActivity, error) bool) {
		for _, w := range ws {
			for a, err := range c.Team(ctx, w.Query, o, nil) {
				if !yield(a, err) || err != nil {
					return
				}
			}
		}
	}
}
