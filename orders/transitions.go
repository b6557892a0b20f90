package orders

import (
	"fmt"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
)

// Status is where an order is (CONTRACT.md "Order states").
type Status string

// The order states.
const (
	PendingPayment    Status = "pending_payment"
	Paid              Status = "paid"
	Shipped           Status = "shipped"
	Delivered         Status = "delivered"
	Completed         Status = "completed"
	Cancelled         Status = "cancelled"
	Refunded          Status = "refunded"
	PartiallyRefunded Status = "partially_refunded"
)

// Event is something that happens to an order.
type Event string

// The order events.
const (
	Pay      Event = "pay"
	Ship     Event = "ship"
	Deliver  Event = "deliver"
	Complete Event = "complete"
	Cancel   Event = "cancel"
	Expire   Event = "expire"
	Refund   Event = "refund"         // the whole remaining amount
	Partial  Event = "partial_refund" // part of it; a delivered order keeps its fulfilment state
)

// Party is who may cause an event.
type Party string

// The parties of an order.
const (
	System Party = "system" // payment provider, expiry and auto-completion jobs
	Seller Party = "seller" // the shop's seller side: seller, pendamping, LKS manager
	Staff  Party = "staff"  // staff of the shop's unit
	Buyer  Party = "buyer"
)

type move struct {
	to  Status
	who []Party
}

// transitions is the only place that says how an order may move and who
// may move it. Anything not here is refused.
var transitions = map[Status]map[Event]move{
	PendingPayment: {
		Pay: {Paid, []Party{System, Staff}},
		// Unpaid, only the buyer cancels, and the whole checkout at once
		// (CancelGroup): its one payment is for every shop's part, and a
		// part cancelled alone left the group owing what it no longer
		// sold, never payable. Paid, the shop side cancels with a refund.
		Cancel: {Cancelled, []Party{Buyer}},
		Expire: {Cancelled, []Party{System}},
	},
	Paid: {
		Ship:    {Shipped, []Party{Seller, Staff}},
		Cancel:  {Cancelled, []Party{Seller, Staff}}, // before shipping; the payment is refunded
		Refund:  {Refunded, []Party{Staff, System}},
		Partial: {Paid, []Party{Staff, System}},
	},
	Shipped: {
		Deliver: {Delivered, []Party{Seller, Staff}},
		Refund:  {Refunded, []Party{Staff, System}},
		Partial: {Shipped, []Party{Staff, System}},
	},
	Delivered: {
		Complete: {Completed, []Party{Buyer, Staff, System}},
		Refund:   {Refunded, []Party{Staff, System}},
		Partial:  {Delivered, []Party{Staff, System}},
	},
	Completed: {
		Refund:  {Refunded, []Party{Staff, System}},
		Partial: {PartiallyRefunded, []Party{Staff, System}},
	},
	PartiallyRefunded: {
		Refund:  {Refunded, []Party{Staff, System}},
		Partial: {PartiallyRefunded, []Party{Staff, System}},
	},
}

// next says where event takes an order in status from, if party may cause
// it; else an error saying why not.
func next(from Status, e Event, party Party) (Status, error) {
	m, ok := transitions[from][e]
	if !ok {
		return "", domain.Errorf(domain.ErrConflict, "orders.transition", locale.Key("ostatus."+string(from)), locale.Key("oevent."+string(e)))
	}
	for _, p := range m.who {
		if p == party {
			return m.to, nil
		}
	}
	return "", fmt.Errorf("%s may not %s an order: %w", party, e, domain.ErrForbidden)
}

// Allows tells whether party may cause event on an order in status s, so
// pages offer only what the table permits.
func (s Status) Allows(e Event, party Party) bool {
	_, err := next(s, e, party)
	return err == nil
}

// reservesStock tells whether an order in this status still holds the
// stock taken at checkout (so cancelling gives it back).
func (s Status) reservesStock() bool { return s == PendingPayment || s == Paid }
