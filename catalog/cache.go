package catalog

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// resultCache keeps public search answers for a few seconds, and for one
// more TTL serves an expired answer while it refreshes it in the background. Browsing is
// most of a marketplace's traffic and mostly the same few pages (home,
// categories, popular words); this spares the database the repeats and
// collapses a burst of identical misses into one query. A seller's change
// clears this instance's cache at once; other instances catch up within
// the TTL, which only ever delays a new listing or a stock count in a list
// (product pages and checkout always read fresh rows).
type resultCache struct {
	ttl     time.Duration
	max     int
	mu      sync.Mutex
	entries map[string]cacheEntry
	// gen counts the clears: an answer loaded from before a clear is
	// not kept after it, nor shared with callers who came after it.
	gen    uint64
	flight singleflight.Group
	// words holds the dictionary's answers per query word, which the
	// search reuses even when answers are not cached (ttl 0).
	words *wordCache
}

type cacheEntry struct {
	res     Results
	expires time.Time
}

func newResultCache(ttl time.Duration, max int) *resultCache {
	return &resultCache{ttl: ttl, max: max, entries: map[string]cacheEntry{}, words: newWordCache(max)}
}

// get answers from the cache or runs load once for all concurrent callers.
func (c *resultCache) get(ctx context.Context, q Query, load func(context.Context) (Results, error)) (Results, error) {
	if c.ttl <= 0 {
		return load(ctx)
	}
	key := fmt.Sprintf("%q|%s|%s|%s|%d|%d|%t|%s|%v|%d|%s", q.Text, q.Category, q.ShopID, q.ProvinceCode,
		q.MinPrice, q.MaxPrice, q.InStock, q.Sort, q.Facets, q.Page.Limit, q.Page.Cursor)
	c.mu.Lock()
	e, ok := c.entries[key]
	gen := c.gen
	c.mu.Unlock()
	refresh := func() <-chan singleflight.Result {
		return c.flight.DoChan(fmt.Sprintf("%d|%s", gen, key), func() (any, error) {
			// Detached: one caller's cancellation must not fail the others
			// waiting on it, nor a background refresh.
			res, err := load(context.WithoutCancel(ctx))
			if err != nil {
				return nil, err
			}
			c.mu.Lock()
			if c.gen == gen {
				if len(c.entries) >= c.max {
					c.entries = map[string]cacheEntry{} // crude but bounded; the hot keys refill at once
				}
				c.entries[key] = cacheEntry{res: res, expires: time.Now().Add(c.ttl)}
			}
			c.mu.Unlock()
			return res, nil
		})
	}
	now := time.Now()
	if ok && now.Before(e.expires.Add(c.ttl)) {
		// Fresh, or expired for less than another TTL and refreshed in
		// the background: a hot key never makes anyone wait.
		if now.After(e.expires) {
			refresh()
		}
		return e.res, nil
	}
	select {
	case r := <-refresh():
		if r.Err != nil {
			return Results{}, r.Err
		}
		return r.Val.(Results), nil
	case <-ctx.Done():
		return Results{}, ctx.Err()
	}
}

// clear forgets everything, after a change to the catalog: the answers,
// and the word dictionary's answers behind them.
func (c *resultCache) clear() {
	c.mu.Lock()
	c.entries = map[string]cacheEntry{}
	c.gen++
	c.mu.Unlock()
	c.words.clear()
}
