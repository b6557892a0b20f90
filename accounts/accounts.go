// Package accounts is people and organisations: units (Balai and LKS), users
// and their roles, passwords, sessions and login throttling.
package accounts

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
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
	ID           string      `json:"id"`
	Email        string      `json:"email"`
	Name         string      `json:"name"`
	Role         access.Role `json:"role"`
	UnitID       *string     `json:"unit_id"`
	CreatedAt    time.Time   `json:"created_at"`
	PasswordHash string      `json:"-"`
	CreatedBy    *string     `json:"-"`
	UpdatedAt    time.Time   `json:"-"`
}

// Service is the accounts domain.
type Service struct {
	db  *storage.DB
	now func() time.Time
}

// NewService builds the service; now is the clock (time.Now outside tests).
func NewService(db *storage.DB, now func() time.Time) *Service {
	return &Service{db: db, now: now}
}

var codePattern = regexp.MustCompile(`^[0-9]+$`)

func validateRegion(v *domain.ValidationError, province, regency string) {
	if len(province) != 2 || !codePattern.MatchString(province) {
		v.Add("province_code", "field.province.example")
	}
	if len(regency) != 4 || !codePattern.MatchString(regency) || !strings.HasPrefix(regency, province) {
		v.Add("regency_code", "field.regency.example")
	}
}

// normalizeEmail lower-cases and checks an address; the database stores it so.
func normalizeEmail(v *domain.ValidationError, email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		v.Add("email", "field.email.invalid")
	}
	return email
}
