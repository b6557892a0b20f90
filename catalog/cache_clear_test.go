package catalog

import (
	"context"
	"testing"
	"time"
)

// An answer loaded while the catalog changed (a clear came during the
// load) may be from before the change: neither cache keeps it.
func TestCachesForgetWhatWasLoadingAtAClear(t *testing.T) {
	c := newResultCache(time.Minute, 100)
	loads := 0
	load := func(context.Context) (Results, error) {
		loads++
		if loads == 1 {
			c.clear() // a seller's change lands while the first load runs
		}
		return Results{}, nil
	}
	for range 2 {
		if _, err := c.get(context.Background(), Query{Text: "pisang"}, load); err != nil {
			t.Fatal(err)
		}
	}
	if loads != 2 {
		t.Fatalf("the answer cache loaded %d times, want 2: it kept an answer from before the clear", loads)
	}

	w := newWordCache(100)
	wordLoads := 0
	loadWords := func(missing []string) ([]wordRow, error) {
		wordLoads++
		if wordLoads == 1 {
			w.clear()
		}
		return []wordRow{{Word: missing[0]}}, nil
	}
	for range 2 {
		if _, err := w.lookUp("", []string{"pisang"}, loadWords); err != nil {
			t.Fatal(err)
		}
	}
	if wordLoads != 2 {
		t.Fatalf("the word cache loaded %d times, want 2: it kept an answer from before the clear", wordLoads)
	}
}
