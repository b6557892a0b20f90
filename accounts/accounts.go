// Package accounts is people and organisations: units (Balai and LKS), users
// and their roles, passwords, sessions and login throttling.
package accounts

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/regions"
	"github.com/sentrakreasi/atensi/storage"
)

// UnitKind is a Balai (the ministry's technical unit) or an LKS.
type UnitKind string

// The kinds of unit.
const (
	Balai UnitKind = "balai"
	LKS   UnitKind = "lks"
)

// Unit is a Balai or an LKS.
type Unit struct {
	ID           string   `json:"id"`
	Kind         UnitKind `json:"kind"`
	Name         string   `json:"name"`
	ProvinceCode string   `json:"province_code"`
	RegencyCode  string   `json:"regency_code"`
	ParentID     *string  `json:"parent_id"`
	// PublishWithoutReview lets the unit's sellers publish at once.
	PublishWithoutReview bool      `json:"publish_without_review"`
	CreatedAt            time.Time `json:"created_at"`
}

// User is an account. The password hash never leaves this package.
type User struct {
	ID        string      `json:"id"`
	Email     string      `json:"email"`
	Name      string      `json:"name"`
	Role      access.Role `json:"role"`
	UnitID    *string     `json:"unit_id"`
	CreatedAt time.Time   `json:"created_at"`
	// EmailVerifiedAt is when the owner opened a link mailed to Email.
	EmailVerifiedAt *time.Time `json:"-"`
	PasswordHash    string     `json:"-"`
	CreatedBy       *string    `json:"-"`
	UpdatedAt       time.Time  `json:"-"`
}

// Service is the accounts domain.
type Service struct {
	db      *storage.DB
	now     func() time.Time
	regions *regions.Directory
	// siteURL starts the links in emails (BASE_URL); see UseSiteURL.
	siteURL string
	// verifiedHooks run inside the transaction that verifies an email.
	verifiedHooks []EmailHook
}

// NewService builds the service; now is the clock (time.Now outside tests).
func NewService(db *storage.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now, regions: regions.New(db)}
}

// validateRegion marks a province or regency code that is not in the
// Kemendagri lists (package regions), or a regency of another province.
func (s *Service) validateRegion(ctx context.Context, v *domain.ValidationError, province, regency string) error {
	provinceOK, regencyOK, err := s.regions.Check(ctx, province, regency)
	if err != nil {
		return err
	}
	if !provinceOK {
		v.Add("province_code", "field.province.example")
	}
	if !regencyOK {
		v.Add("regency_code", "field.regency.example")
	}
	return nil
}

// normalizeEmail lower-cases and checks an address; the database stores it so.
func normalizeEmail(v *domain.ValidationError, email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		v.Add("email", "field.email.invalid")
	}
	return email
}
