package orders

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// Limits bound the stock one client can hold with checkouts it does not
// pay: an unpaid checkout keeps its stock for the payment window, so
// without them a script could reserve every product, again and again, and
// have a confirmation mailed to any address each time. Zero turns a limit
// off.
type Limits struct {
	// UnpaidPerIP is how many unpaid checkouts one client address may hold
	// at once. Shared addresses (a mobile carrier's NAT, an office) are
	// common, so it is set higher than the per-email one.
	UnpaidPerIP int
	// UnpaidPerEmail is how many unpaid checkouts one buyer email may hold.
	UnpaidPerEmail int
	// PerProduct is how many of one product one checkout may take.
	PerProduct int
	// TransferWindow is how long a bank-transfer checkout waits for its
	// money (and holds its stock); 0 is DefaultTransferWindow.
	TransferWindow time.Duration
}

// DefaultLimits are the limits the app runs with unless configured.
var DefaultLimits = Limits{UnpaidPerIP: 10, UnpaidPerEmail: 3, PerProduct: 20, TransferWindow: DefaultTransferWindow}

// maxPerProduct is how many of one product a cart may hold: what one
// checkout may take (100 when no limit is set, the schema's bound).
func (s *Service) maxPerProduct() int {
	if s.limits.PerProduct > 0 {
		return s.limits.PerProduct
	}
	return 100
}

// SetLimits sets the checkout limits; a new Service has none besides the
// 100 per line every request is held to.
func (s *Service) SetLimits(l Limits) { s.limits = l }

// checkPerProduct refuses a checkout that takes more of one product than
// one checkout may, repeats of the product in items added up.
func (s *Service) checkPerProduct(v *domain.ValidationError, items []Item) {
	if s.limits.PerProduct <= 0 {
		return
	}
	sum := map[string]int{}
	for i, it := range items {
		sum[it.ProductID] += it.Quantity
		if sum[it.ProductID] > s.limits.PerProduct && sum[it.ProductID]-it.Quantity <= s.limits.PerProduct {
			v.Add(fmt.Sprintf("items[%d].quantity", i), "orders.quantity.perproduct", s.limits.PerProduct)
		}
	}
}

// Advisory lock classes (pg_advisory_xact_lock(class, key)): one lock per
// client address and per buyer email serialises that client's checkouts,
// so two at once cannot both see room for one more. Addresses are always
// locked before emails, so two checkouts never wait on each other in a
// circle.
const (
	lockCheckoutIP    = 24001
	lockCheckoutEmail = 24002
)

// holdUnpaid is the first step of a checkout's transaction: it refuses the
// checkout (a *domain.RateLimitError, 429) when its address or its buyer
// email already holds as many unpaid, unexpired checkouts as allowed, and
// otherwise keeps the per-client locks to the commit, which writes the new
// group. A group counts until it is paid, cancelled or past its expiry,
// whether or not the sweep has run. The counts live in PostgreSQL, so the
// limits hold across every instance.
func (s *Service) holdUnpaid(ctx context.Context, tx *storage.Tx, ip, email string, now time.Time) error {
	byIP := s.limits.UnpaidPerIP > 0 && ip != ""
	byEmail := s.limits.UnpaidPerEmail > 0
	db := tx.DB.WithContext(ctx)
	if byIP {
		if err := db.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", lockCheckoutIP, ip).Error; err != nil {
			return fmt.Errorf("checkout lock: %w", err)
		}
	}
	if byEmail {
		if err := db.Exec("SELECT pg_advisory_xact_lock(?, hashtext(?))", lockCheckoutEmail, email).Error; err != nil {
			return fmt.Errorf("checkout lock: %w", err)
		}
	}
	if !byIP && !byEmail {
		return nil
	}
	var held struct {
		IP, Email           int
		IPFirst, EmailFirst *time.Time
	}
	err := db.Raw(`
		SELECT count(*) FILTER (WHERE client_ip = ?::inet) AS ip, min(expires_at) FILTER (WHERE client_ip = ?::inet) AS ip_first,
		       count(*) FILTER (WHERE buyer_email = ?) AS email, min(expires_at) FILTER (WHERE buyer_email = ?) AS email_first
		FROM order_groups
		WHERE payment_status = 'pending' AND expires_at > ? AND (client_ip = ?::inet OR buyer_email = ?)`,
		nullIP(ip), nullIP(ip), email, email, now, nullIP(ip), email).Scan(&held).Error
	if err != nil {
		return fmt.Errorf("unpaid checkouts: %w", err)
	}
	switch {
	case byIP && held.IP >= s.limits.UnpaidPerIP:
		return tooManyUnpaid(held.IP, "orders.unpaid.ip", "orders.unpaid.ip.hours", *held.IPFirst, now)
	case byEmail && held.Email >= s.limits.UnpaidPerEmail:
		return tooManyUnpaid(held.Email, "orders.unpaid.email", "orders.unpaid.email.hours", *held.EmailFirst, now)
	}
	return nil
}

// nullIP is an address for SQL: NULL when there is none, so it matches no row.
func nullIP(ip string) *string {
	if ip == "" {
		return nil
	}
	return &ip
}

// tooManyUnpaid says why and for how long a checkout is refused: until the
// first of the held checkouts expires (or sooner, once one is paid).
func tooManyUnpaid(n int, key, inHours string, firstExpiry, now time.Time) error {
	wait := max(firstExpiry.Sub(now), time.Second)
	if wait > 90*time.Minute { // a bank transfer's day: said in hours
		return domain.Errorf(&domain.RateLimitError{RetryAfter: wait}, inHours, n, int(math.Ceil(wait.Hours())))
	}
	return domain.Errorf(&domain.RateLimitError{RetryAfter: wait}, key, n, int(math.Ceil(wait.Minutes())))
}
