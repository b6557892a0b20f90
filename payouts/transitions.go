package payouts

// Event is something that happens to a payout batch or to one of its lines.
type Event string

// The payout events.
const (
	Approve Event = "approve" // a supervisor who did not make the draft approves it
	Cancel  Event = "cancel"  // a draft is given up: its lines' money goes back to the shops
	Pay     Event = "pay"     // staff record a line paid (a large cash line may wait for a second person)
	Receive Event = "receive" // the PM acknowledges money paid to an LKS or a guardian
	Close   Event = "close"   // the last line of an approved batch is settled
)

// batchMoves and lineMoves are the only place that says how a batch and its
// lines may move; anything not here is refused. A line's event needs its
// batch to allow it too: lines are paid and received only while their batch
// is approved, and cancelled only with their draft.
var batchMoves = moves[BatchStatus]{
	Draft:    {Approve: Approved, Cancel: Cancelled},
	Approved: {Pay: Approved, Receive: Approved, Close: Closed},
}

var lineMoves = moves[LineStatus]{
	LinePending: {Pay: LinePaid, Cancel: LineCancelled},
	LinePaid:    {Receive: LineReceived},
}

// moves says, for each status, where each event takes it.
type moves[S comparable] map[S]map[Event]S

func (m moves[S]) next(from S, e Event) (S, bool) {
	to, ok := m[from][e]
	return to, ok
}

func (s BatchStatus) next(e Event) (BatchStatus, bool) { return batchMoves.next(s, e) }

func (s LineStatus) next(e Event) (LineStatus, bool) { return lineMoves.next(s, e) }

// Allows tells whether event may happen to a batch in status s.
func (s BatchStatus) Allows(e Event) bool {
	_, ok := s.next(e)
	return ok
}

// Allows tells whether a line in status s may take event, whatever its
// batch and payee.
func (s LineStatus) Allows(e Event) bool {
	_, ok := s.next(e)
	return ok
}

// LineAllows tells whether event may happen to line l of batch b: both
// tables allow it, and only money paid to an LKS or a guardian waits for a
// receipt. Pages offer a line only what this allows.
func (b Batch) LineAllows(l Line, e Event) bool {
	if e == Receive && !l.PayeeKind.needsReceipt() {
		return false
	}
	return b.Status.Allows(e) && l.Status.Allows(e)
}
