// Package catalog is what buyers browse: shops, their products with photos,
// categories, search, and the review that lets a product go public. Public
// answers carry nothing from a PM's case (DOMAIN.md rule 1).
package catalog

import (
	"context"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/accounts"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/storage"
)

// ShopKind says whose shop it is.
type ShopKind string

// The kinds of shop.
const (
	BeneficiaryShop ShopKind = "beneficiary"  // one PM's own shop
	WorkshopShop    ShopKind = "lks_workshop" // an LKS workshop, whose products name their maker PM
)

// ShopStatus is whether a shop sells.
type ShopStatus string

// The shop statuses.
const (
	ShopActive ShopStatus = "active"
	ShopPaused ShopStatus = "paused" // e.g. the PM withdrew consent to sell
	ShopClosed ShopStatus = "closed"
)

// ProductStatus is where a product is in its life.
type ProductStatus string

// The product statuses.
const (
	Draft         ProductStatus = "draft"
	PendingReview ProductStatus = "pending_review"
	Published     ProductStatus = "published"
	Rejected      ProductStatus = "rejected"
	Archived      ProductStatus = "archived"
)

// Cases gives the catalog the facts of a case (the cases package).
type Cases interface {
	Facts(ctx context.Context, caseID string) (cases.Facts, error)
}

// Accounts gives the catalog units and who a user is (the accounts package).
type Accounts interface {
	Unit(ctx context.Context, id string) (accounts.Unit, error)
	Membership(ctx context.Context, userID string) (access.Role, string, error)
}

// Service is the catalog domain.
type Service struct {
	db *storage.DB
	// reads answers the public catalog reads: db, or a streaming replica.
	reads    *storage.DB
	objects  *storage.Objects
	cases    Cases
	accounts Accounts
	now      func() time.Time
	// mediaURL turns an object key into the URL a browser loads it from.
	mediaURL   func(key string) string
	categories categoryCache
	cache      *resultCache
	// imageSlots bounds the photos processed at once (LimitImageJobs);
	// imageJobHook, set by tests only, runs inside each slot.
	imageSlots   chan struct{}
	imageJobHook func()
}

// NewService builds the catalog; mediaBase is where photos are served from
// (the app's /media, or a CDN's URL); cacheTTL is how long public search
// answers are reused (0: never).
func NewService(db *storage.DB, objects *storage.Objects, cases Cases, accounts Accounts, now func() time.Time, mediaBase string, cacheTTL time.Duration) *Service {
	return &Service{db: db, reads: db, objects: objects, cases: cases, accounts: accounts, now: now,
		mediaURL: func(key string) string { return mediaBase + "/" + key }, cache: newResultCache(cacheTTL, 5000),
		imageSlots: make(chan struct{}, DefaultImageWorkers)}
}

// ReadFrom sends the public catalog reads (search, browse, the public
// product, the category tree) to replica, a streaming replica of the
// database. A replica is behind by the time its WAL takes to arrive
// (usually milliseconds): a seller's change shows in search once it has,
// and a product the replica does not have yet is read from the primary.
// Checkout, stock and everything a seller or staff reads stay on the
// primary.
func (s *Service) ReadFrom(replica *storage.DB) { s.reads = replica }
