package payouts_test

import (
	"slices"
	"testing"

	"github.com/sentrakreasi/atensi/payouts"
)

// TestPayoutTransitionTable names each move a batch and a line may make,
// and that nothing else is allowed: a draft is approved or cancelled, an
// approved batch is paid line by line and closes, closed and cancelled
// batches are final.
func TestPayoutTransitionTable(t *testing.T) {
	events := []payouts.Event{payouts.Approve, payouts.Cancel, payouts.Pay, payouts.Receive, payouts.Close}
	batch := map[payouts.BatchStatus][]payouts.Event{
		payouts.Draft:     {payouts.Approve, payouts.Cancel},
		payouts.Approved:  {payouts.Pay, payouts.Receive, payouts.Close},
		payouts.Closed:    nil,
		payouts.Cancelled: nil,
	}
	line := map[payouts.LineStatus][]payouts.Event{
		payouts.LinePending:   {payouts.Pay, payouts.Cancel},
		payouts.LinePaid:      {payouts.Receive},
		payouts.LineReceived:  nil,
		payouts.LineCancelled: nil,
	}
	for s, allowed := range batch {
		for _, e := range events {
			if got := s.Allows(e); got != slices.Contains(allowed, e) {
				t.Errorf("batch %s allows %s = %v, want %v", s, e, got, !got)
			}
		}
	}
	for s, allowed := range line {
		for _, e := range events {
			if got := s.Allows(e); got != slices.Contains(allowed, e) {
				t.Errorf("line %s allows %s = %v, want %v", s, e, got, !got)
			}
		}
	}
}

// TestLineAllowsAsksBatchLineAndPayee: a line moves only when its batch
// allows the event too, and only money paid through an LKS or a guardian
// waits for a receipt.
func TestLineAllowsAsksBatchLineAndPayee(t *testing.T) {
	for _, c := range []struct {
		batch payouts.BatchStatus
		line  payouts.LineStatus
		payee payouts.PayeeKind
		event payouts.Event
		want  bool
	}{
		{payouts.Approved, payouts.LinePending, payouts.PayeePM, payouts.Pay, true},
		{payouts.Draft, payouts.LinePending, payouts.PayeePM, payouts.Pay, false}, // not approved yet
		{payouts.Cancelled, payouts.LineCancelled, payouts.PayeePM, payouts.Pay, false},
		{payouts.Approved, payouts.LinePaid, payouts.PayeePM, payouts.Pay, false}, // paid once
		{payouts.Approved, payouts.LinePaid, payouts.PayeeLKS, payouts.Receive, true},
		{payouts.Approved, payouts.LinePaid, payouts.PayeeGuardian, payouts.Receive, true},
		{payouts.Approved, payouts.LinePaid, payouts.PayeePM, payouts.Receive, false}, // paid to the PM: settled
		{payouts.Approved, payouts.LinePending, payouts.PayeeLKS, payouts.Receive, false},
		{payouts.Approved, payouts.LineReceived, payouts.PayeeLKS, payouts.Receive, false},
		{payouts.Draft, payouts.LinePending, payouts.PayeeLKS, payouts.Cancel, true},
		{payouts.Approved, payouts.LinePending, payouts.PayeeLKS, payouts.Cancel, false},
	} {
		b := payouts.Batch{Status: c.batch}
		l := payouts.Line{Status: c.line, PayeeKind: c.payee}
		if got := b.LineAllows(l, c.event); got != c.want {
			t.Errorf("%s line (%s) of a %s batch allows %s = %v, want %v", c.line, c.payee, c.batch, c.event, got, c.want)
		}
	}
}
