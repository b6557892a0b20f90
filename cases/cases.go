// Package cases is the case record of each PM (beneficiary): identity,
// consents, delegations to a pendamping, and the append-only timeline of
// case events. Sensitive fields are sealed with the vault and every read of
// them is audited.
package cases

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/regions"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/vault"
)

// Cluster is the ATENSI beneficiary cluster.
type Cluster string

// The five clusters of DOMAIN.md.
const (
	ClusterAnak        Cluster = "anak"
	ClusterDisabilitas Cluster = "disabilitas"
	ClusterLansia      Cluster = "lansia"
	ClusterNapza       Cluster = "napza"
	ClusterTPPO        Cluster = "tuna_sosial_tppo"
)

var clusters = []Cluster{ClusterAnak, ClusterDisabilitas, ClusterLansia, ClusterNapza, ClusterTPPO}

var pillars = []string{"keluarga", "komunitas", "residensial"}

// Purpose is what a consent is for.
type Purpose string

// The consent purposes of DOMAIN.md.
const (
	PurposeCaseManagement Purpose = "case_management"
	PurposeSelling        Purpose = "marketplace_selling"
	PurposeDataBridge     Purpose = "data_bridge_to_case_record"
	PurposeReporting      Purpose = "aggregate_reporting"
	PurposePromotion      Purpose = "public_promotion"
)

var purposes = []Purpose{PurposeCaseManagement, PurposeSelling, PurposeDataBridge, PurposeReporting, PurposePromotion}

// People answers who a user is; the accounts package provides it.
type People interface {
	Membership(ctx context.Context, userID string) (access.Role, string, error)
	// SupervisorEmails are the addresses of the supervisors over a unit:
	// its own, and for an LKS those of its Balai.
	SupervisorEmails(ctx context.Context, unitID string) ([]string, error)
}

// ConsentHook runs inside the transaction that records a consent change,
// so what other domains do about it commits with it.
type ConsentHook func(ctx context.Context, tx *storage.Tx, caseID string, purpose Purpose, given bool) error

// Service is the cases domain.
type Service struct {
	db           *storage.DB
	vault        *vault.Vault
	people       People
	now          func() time.Time
	consentHooks []ConsentHook
	listings     Listings
	regions      *regions.Directory
	// outcomeSettings overrides DefaultOutcomeSettings when set.
	outcomeSettings *OutcomeSettings
}

// OnConsentChange registers a hook for every consent given or withdrawn.
func (s *Service) OnConsentChange(h ConsentHook) { s.consentHooks = append(s.consentHooks, h) }

// NewService builds the service; now is the clock (time.Now outside tests).
func NewService(db *storage.DB, v *vault.Vault, people People, now func() time.Time) *Service {
	return &Service{db: db, vault: v, people: people, now: now, regions: regions.New(db)}
}

// Regions is the directory of provinces and regencies that case and
// reference codes are checked against, for the forms that offer them.
func (s *Service) Regions() *regions.Directory { return s.regions }

// Event is one entry of a case's timeline (CONTRACT.md "Case events").
type Event struct {
	ID         int64          `json:"id,string"`
	Type       string         `json:"type"`
	OccurredAt time.Time      `json:"occurred_at"`
	ActorID    *string        `json:"actor_id,omitempty"`
	OnBehalfOf *string        `json:"on_behalf_of,omitempty"`
	Data       map[string]any `json:"data"`
}

// EventTypes lists every type of case event the product writes (by
// AppendEvent and the month close's SQL). Pages show each by its catalogue
// text cevent.<type>.
var EventTypes = []string{
	"assessment_recorded", "consent_given", "consent_withdrawn", "delegation_granted", "delegation_revoked",
	"first_listing", "first_sale", "graduation_approved", "graduation_due", "graduation_rejected",
	"graduation_reviewed", "guardian_set", "household_size_recorded", "income_recorded", "month_closed",
	"no_sale_60d", "payout_paid", "payout_received", "payout_route_changed", "refund", "sale_completed",
	"service_recorded", "shop_opened", "staff_assigned", "threshold_crossed", "threshold_lost",
}

type eventRow struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     string
	Type       string
	OccurredAt time.Time
	ActorID    *string
	OnBehalfOf *string
	Data       []byte `gorm:"type:jsonb"`
}

func (eventRow) TableName() string { return "case_events" }

// AppendEvent writes an event into a case's timeline inside tx, the
// transaction of the change that causes it. data must never hold a buyer's
// name, email, phone or address.
func AppendEvent(ctx context.Context, tx *gorm.DB, caseID, typ string, at time.Time, actor access.Actor, data map[string]any) error {
	if data == nil {
		data = map[string]any{}
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("case event %s: %w", typ, err)
	}
	row := eventRow{CaseID: caseID, Type: typ, OccurredAt: at.UTC(), Data: raw}
	if actor.UserID != "" {
		row.ActorID = &actor.UserID
	}
	if actor.Role == access.Pendamping {
		row.OnBehalfOf = &caseID // a pendamping only ever acts for the PM
	}
	if err := tx.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("case event %s: %w", typ, err)
	}
	return nil
}

func jsonUnmarshal(raw []byte, v any) error {
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode event data: %w", err)
	}
	return nil
}
