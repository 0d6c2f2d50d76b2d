package appliance

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"sync"

	"golang.org/x/time/rate"
)

// budget keeps the appliance's hourly limit of calls (15,000 an hour per
// API account) beside the rate a second. The bucket holds a full hour's
// calls and refills at limit/3600 a second; when the appliance says how
// many calls are left (X-RateLimit-Remaining) and that is under a tenth of
// its limit, the client spreads what is left over the next hour instead,
// so that a long sync slows down before it is refused, not after.
type budget struct {
	lim *rate.Limiter

	mu               sync.Mutex
	limit, remaining int // as the appliance last said; -1 not said
	slow             bool
}

func newBudget(perHour int) *budget {
	return &budget{lim: rate.NewLimiter(rate.Limit(float64(perHour)/3600), perHour), limit: -1, remaining: -1}
}

// slowBelow is the share of the limit under which the client slows down.
const slowBelow = 10

// observe reads what the appliance says of the hourly limit, and returns
// what a person should be told: that the client starts slowing down.
func (b *budget) observe(h http.Header) (said string) {
	limit, err1 := strconv.Atoi(h.Get("X-RateLimit-Limit"))
	remaining, err2 := strconv.Atoi(h.Get("X-RateLimit-Remaining"))
	if err2 != nil || remaining < 0 {
		return ""
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if err1 == nil && limit > 0 {
		b.limit = limit
	}
	b.remaining = remaining
	low := b.limit > 0 && remaining*slowBelow <= b.limit
	switch {
	case low && !b.slow:
		// Spread what is left over the hour, with no burst: the next
		// call waits its turn.
		b.lim = rate.NewLimiter(rate.Limit(float64(max(remaining, 1))/3600), 1)
		b.lim.Allow()
		b.slow = true
		said = fmt.Sprintf("the appliance says %d of its %d API calls an hour are left: slowing to %.2g calls a minute so as not to be refused", remaining, b.limit, float64(max(remaining, 1))/60)
	case low:
		b.lim.SetLimit(rate.Limit(float64(max(remaining, 1)) / 3600))
	case b.slow:
		// Never more at once than the appliance says is left.
		b.lim = rate.NewLimiter(rate.Limit(float64(b.limit)/3600), remaining)
		b.slow = false
	}
	return said
}

func (b *budget) wait(ctx context.Context) error {
	b.mu.Lock()
	lim := b.lim
	b.mu.Unlock()
	err := lim.Wait(ctx)
	if err == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.slow {
		return fmt.Errorf("the hourly budget of API calls is nearly spent (the appliance says %d of %d are left): brcsapi slowed to %.2g calls a minute and would wait past the deadline; try again later",
			b.remaining, b.limit, float64(b.lim.Limit())*60)
	}
	return err
}

// Budget is what the appliance last said of the hourly limit: the limit
// and how many calls are left (-1 when it has not said), and whether the
// client is slowing down to stay within it.
type Budget struct {
	Limit, Remaining int
	Slowed           bool
	// Pace is the pace in calls a second the hourly budget allows now.
	Pace float64
}

// Budget reports the hourly budget as the appliance last said it.
func (c *Client) Budget() Budget {
	b := c.hour
	b.mu.Lock()
	defer b.mu.Unlock()
	return Budget{Limit: b.limit, Remaining: b.remaining, Slowed: b.slow, Pace: float64(b.lim.Limit())}
}
