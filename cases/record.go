package cases

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// NewBeneficiary is the identity part of NewCase.
type NewBeneficiary struct {
	LegalName     string `json:"legal_name"`
	NIK           string `json:"nik"`
	BirthDate     string `json:"birth_date"`
	Sex           string `json:"sex"`
	ProvinceCode  string `json:"province_code"`
	RegencyCode   string `json:"regency_code"`
	HouseholdSize int    `json:"household_size"`
}

// ConsentInput records a consent given or withdrawn.
type ConsentInput struct {
	Purpose Purpose `json:"purpose"`
	GivenBy string  `json:"given_by"` // self | guardian
	Method  string  `json:"method"`   // written | verbal | thumbprint | digital; written by default
	Action  string  `json:"action"`   // given | withdrawn; given by default
}

// NewCase is the input for Create.
type NewCase struct {
	Beneficiary     NewBeneficiary `json:"beneficiary"`
	Cluster         Cluster        `json:"cluster"`
	Pillar          string         `json:"pillar"`
	UnitID          string         `json:"unit_id"`
	AssignedStaffID string         `json:"assigned_staff_id"`
	// Victim marks a child who is a victim (of violence, exploitation or
	// trafficking): the case is then closed to all but its caseworker.
	Victim   bool           `json:"victim"`
	Consents []ConsentInput `json:"consents"`
}

// Case is a case as staff see it. LegalName and NIK are filled only for a
// reader with the right to them.
type Case struct {
	ID              string      `json:"id"`
	CaseNo          string      `json:"case_no"`
	UnitID          string      `json:"unit_id"`
	Cluster         Cluster     `json:"cluster"`
	Pillar          string      `json:"pillar"`
	Sensitivity     string      `json:"sensitivity"`
	IsChild         bool        `json:"is_child"`
	AssignedStaffID *string     `json:"assigned_staff_id"`
	OpenedOn        string      `json:"opened_on"`
	ClosedOn        *string     `json:"closed_on"`
	Beneficiary     Beneficiary `json:"beneficiary"`
	Consents        []Consent   `json:"consents"`
}

// Beneficiary is the PM as staff see them.
type Beneficiary struct {
	ID            string `json:"id"`
	LegalName     string `json:"legal_name,omitempty"`
	NIK           string `json:"nik,omitempty"`
	BirthDate     string `json:"birth_date"`
	Sex           string `json:"sex"`
	ProvinceCode  string `json:"province_code"`
	RegencyCode   string `json:"regency_code"`
	HouseholdSize int    `json:"household_size"`
}

// Consent is the current state of one purpose's consent.
type Consent struct {
	Purpose Purpose   `json:"purpose"`
	Status  string    `json:"status"` // given | withdrawn
	GivenBy string    `json:"given_by"`
	Method  string    `json:"method"`
	At      time.Time `json:"at"`
}

type beneficiaryRow struct {
	ID            string
	LegalNameEnc  []byte
	NIKEnc        []byte `gorm:"column:nik_enc"`
	NIKHash       []byte `gorm:"column:nik_hash"`
	BirthDate     time.Time
	Sex           string
	ProvinceCode  string
	RegencyCode   string
	HouseholdSize int
	CreatedAt     time.Time
}

func (beneficiaryRow) TableName() string { return "beneficiaries" }

type caseRow struct {
	ID              string
	CaseNo          string
	BeneficiaryID   string
	UnitID          string
	Cluster         Cluster
	Pillar          string
	Sensitivity     string
	IsChild         bool
	AssignedStaffID *string
	OpenedOn        time.Time
	ClosedOn        *time.Time
	CreatedBy       string
	CreatedAt       time.Time
}

func (caseRow) TableName() string { return "cases" }

type consentRow struct {
	ID         int64 `gorm:"primaryKey"`
	CaseID     string
	Purpose    Purpose
	Action     string
	GivenBy    string
	Method     string
	RecordedBy string
	At         time.Time
}

func (consentRow) TableName() string { return "consents" }

var nikPattern = regexp.MustCompile(`^[0-9]{16}$`)

// sensitivity is the tier rule of DOMAIN.md: trafficking survivors and child
// victims are closed to all but their caseworker; drug-abuse cases and
// children are protected; everything else is audited.
func sensitivity(cluster Cluster, child, victim bool) string {
	switch {
	case cluster == ClusterTPPO || (child && victim):
		return access.TierClosed
	case cluster == ClusterNapza || child || cluster == ClusterAnak:
		return access.TierProtected
	default:
		return access.TierAudited
	}
}

// Create opens a case for a new PM, with their first consents.
func (s *Service) Create(ctx context.Context, actor access.Actor, in NewCase) (Case, error) {
	now := s.now()
	if err := access.Can(actor, access.CreateCase, access.Resource{UnitID: in.UnitID}, now); err != nil {
		return Case{}, err
	}
	today := now.In(domain.Jakarta)
	v := &domain.ValidationError{}
	b := in.Beneficiary
	b.LegalName = strings.Join(strings.Fields(b.LegalName), " ")
	if b.LegalName == "" || len(b.LegalName) > 200 {
		v.Add("beneficiary.legal_name", "cases.pm.name")
	}
	b.NIK = strings.TrimSpace(b.NIK)
	if b.NIK != "" && !nikPattern.MatchString(b.NIK) {
		v.Add("beneficiary.nik", "cases.pm.nik")
	}
	birth, err := time.ParseInLocation(time.DateOnly, b.BirthDate, domain.Jakarta)
	if err != nil || birth.After(today) || birth.Year() < 1900 {
		v.Add("beneficiary.birth_date", "cases.pm.birthdate")
	}
	if b.Sex != "male" && b.Sex != "female" {
		v.Add("beneficiary.sex", "cases.pm.sex")
	}
	provinceOK, regencyOK, regionErr := s.regions.Check(ctx, b.ProvinceCode, b.RegencyCode)
	if regionErr != nil {
		return Case{}, regionErr
	}
	if !provinceOK {
		v.Add("beneficiary.province_code", "field.province")
	}
	if !regencyOK {
		v.Add("beneficiary.regency_code", "field.regency")
	}
	if b.HouseholdSize < 1 || b.HouseholdSize > 30 {
		v.Add("beneficiary.household_size", "cases.household.size")
	}
	if !slices.Contains(clusters, in.Cluster) {
		v.Add("cluster", "cases.cluster.unknown")
	}
	if !slices.Contains(pillars, in.Pillar) {
		v.Add("pillar", "cases.pillar")
	}
	child := err == nil && birth.AddDate(18, 0, 0).After(today)
	if in.AssignedStaffID == "" && actor.Role == access.Staff {
		in.AssignedStaffID = actor.UserID
	}
	if in.AssignedStaffID != "" {
		role, unit, err := s.people.Membership(ctx, in.AssignedStaffID)
		if err != nil || role != access.Staff || unit != in.UnitID {
			v.Add("assigned_staff_id", "cases.assigned.staff")
		}
	}
	tier := sensitivity(in.Cluster, child, in.Victim)
	for i, c := range in.Consents {
		validateConsent(v, fmt.Sprintf("consents[%d]", i), &in.Consents[i], child, tier)
		if c.Action == "withdrawn" {
			v.Add(fmt.Sprintf("consents[%d].action", i), "cases.consent.newgiven")
		}
	}
	if err := v.Err(); err != nil {
		return Case{}, err
	}

	ben := beneficiaryRow{ID: domain.NewID(), BirthDate: birth, Sex: b.Sex, ProvinceCode: b.ProvinceCode,
		RegencyCode: b.RegencyCode, HouseholdSize: b.HouseholdSize, CreatedAt: now.UTC()}
	ben.LegalNameEnc = s.vault.Seal(b.LegalName, sealContext(ben.ID, "legal_name"))
	if b.NIK != "" {
		ben.NIKEnc = s.vault.Seal(b.NIK, sealContext(ben.ID, "nik"))
		ben.NIKHash = s.vault.Hash("nik", b.NIK)
	}
	row := caseRow{ID: domain.NewID(), BeneficiaryID: ben.ID, UnitID: in.UnitID, Cluster: in.Cluster,
		Pillar: in.Pillar, Sensitivity: tier, IsChild: child, OpenedOn: today, CreatedBy: actor.UserID, CreatedAt: now.UTC()}
	if in.AssignedStaffID != "" {
		row.AssignedStaffID = &in.AssignedStaffID
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&ben).Error; err != nil {
			if storage.IsUniqueViolation(err, "beneficiaries_nik_key") {
				return domain.Errorf(domain.ErrConflict, "cases.pm.nikexists")
			}
			return fmt.Errorf("create beneficiary: %w", err)
		}
		var seq int64
		if err := tx.DB.Raw("SELECT nextval('case_no_seq')").Scan(&seq).Error; err != nil {
			return err
		}
		row.CaseNo = fmt.Sprintf("ATN-%d-%06d", today.Year(), seq)
		if err := tx.DB.Create(&row).Error; err != nil {
			return fmt.Errorf("create case: %w", err)
		}
		for _, c := range in.Consents {
			if err := s.recordConsent(ctx, tx, actor, row.ID, c); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "case.create", ResourceKind: "case", ResourceID: row.ID})
	})
	if err != nil {
		return Case{}, err
	}
	return s.Read(ctx, actor, row.ID, false)
}

func sealContext(beneficiaryID, field string) string {
	return "beneficiary/" + beneficiaryID + "/" + field
}

func validateConsent(v *domain.ValidationError, field string, c *ConsentInput, child bool, tier string) {
	if c.Method == "" {
		c.Method = "written"
	}
	if c.Action == "" {
		c.Action = "given"
	}
	if !slices.Contains(purposes, c.Purpose) {
		v.Add(field+".purpose", "cases.consent.purpose")
	}
	if c.GivenBy != "self" && c.GivenBy != "guardian" {
		v.Add(field+".given_by", "cases.consent.givenby")
	}
	// UU 27/2022 Pasal 25: a child's data needs a parent's or guardian's consent.
	if child && c.GivenBy == "self" {
		v.Add(field+".given_by", "cases.consent.child")
	}
	if !slices.Contains([]string{"written", "verbal", "thumbprint", "digital"}, c.Method) {
		v.Add(field+".method", "cases.consent.method")
	}
	if c.Action != "given" && c.Action != "withdrawn" {
		v.Add(field+".action", "cases.consent.action")
	}
	// DOMAIN.md rule 1: no personal story or portrait for children or trafficking cases.
	if c.Purpose == PurposePromotion && c.Action == "given" && (child || tier == access.TierClosed) {
		v.Add(field+".purpose", "cases.consent.promotion")
	}
}

func (s *Service) recordConsent(ctx context.Context, tx *storage.Tx, actor access.Actor, caseID string, c ConsentInput) error {
	now := s.now().UTC()
	row := consentRow{CaseID: caseID, Purpose: c.Purpose, Action: c.Action, GivenBy: c.GivenBy, Method: c.Method, RecordedBy: actor.UserID, At: now}
	if err := lockConsents(ctx, tx, false); err != nil {
		return err
	}
	if err := tx.DB.Create(&row).Error; err != nil {
		return fmt.Errorf("record consent: %w", err)
	}
	typ := "consent_given"
	if c.Action == "withdrawn" {
		typ = "consent_withdrawn"
	}
	if err := AppendEvent(ctx, tx.DB, caseID, typ, now, actor, map[string]any{"purpose": c.Purpose, "given_by": c.GivenBy, "method": c.Method}); err != nil {
		return err
	}
	for _, h := range s.consentHooks {
		if err := h(ctx, tx, caseID, c.Purpose, c.Action == "given"); err != nil {
			return fmt.Errorf("consent hook: %w", err)
		}
	}
	return nil
}

// RecordConsent adds a consent given or withdrawn to a case's history.
func (s *Service) RecordConsent(ctx context.Context, actor access.Actor, caseID string, c ConsentInput) (Case, error) {
	row, err := s.authorize(ctx, actor, access.ReadCase, caseID)
	if err != nil {
		return Case{}, err
	}
	v := &domain.ValidationError{}
	validateConsent(v, "consent", &c, row.IsChild, row.Sensitivity)
	if err := v.Err(); err != nil {
		return Case{}, err
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error { return s.recordConsent(ctx, tx, actor, caseID, c) })
	if err != nil {
		return Case{}, err
	}
	return s.Read(ctx, actor, caseID, false)
}

// load finds a case row by id.
func (s *Service) load(ctx context.Context, id string) (caseRow, error) {
	var row caseRow
	err := storage.Find(ctx, s.db.Gorm, &row, id, "case")
	return row, err
}

func resourceOf(row caseRow) access.Resource {
	r := access.Resource{UnitID: row.UnitID, CaseID: row.ID, Sensitivity: row.Sensitivity}
	if row.AssignedStaffID != nil {
		r.AssignedStaffID = *row.AssignedStaffID
	}
	return r
}

// resourceFor describes a case to the policy for actor, with whether they
// are cleared for it when it is closed.
func (s *Service) resourceFor(ctx context.Context, actor access.Actor, row caseRow) (access.Resource, error) {
	res := resourceOf(row)
	if row.Sensitivity == access.TierClosed && !actor.Anonymous() {
		var err error
		if res.Cleared, err = s.cleared(ctx, row.ID, actor.UserID); err != nil {
			return res, err
		}
	}
	return res, nil
}

// OpenIdentity is the one rule for anything that names a case's PM outside
// the case record (a payout account holder's name, a signed payout slip):
// the reader must have the right to the legal name (access.ReadCaseSensitive,
// the case's tier and the reader's clearance respected). It answers true and
// writes the read into the case's audit log, naming what was read, or false
// with nothing written; the caller then shows the thing masked or not at all.
func (s *Service) OpenIdentity(ctx context.Context, actor access.Actor, caseID string, what string, detail map[string]any) (bool, error) {
	if actor.Anonymous() {
		return false, nil
	}
	row, err := s.load(ctx, caseID)
	if err != nil {
		return false, err
	}
	res, err := s.resourceFor(ctx, actor, row)
	if err != nil {
		return false, err
	}
	if access.Can(actor, access.ReadCaseSensitive, res, s.now()) != nil {
		return false, nil
	}
	d := map[string]any{"fields": []string{what}}
	for k, v := range detail {
		d[k] = v
	}
	err = audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, Action: string(access.ReadCaseSensitive),
		ResourceKind: "case", ResourceID: row.ID, Detail: d})
	return err == nil, err
}

// authorize loads a case and checks the actor may do action on it. A denial
// on an existing case is audited: someone tried to open a case not theirs.
func (s *Service) authorize(ctx context.Context, actor access.Actor, action access.Action, id string) (caseRow, error) {
	row, err := s.load(ctx, id)
	if err != nil {
		return row, err
	}
	res, err := s.resourceFor(ctx, actor, row)
	if err != nil {
		return row, err
	}
	if err := access.Can(actor, action, res, s.now()); err != nil {
		if !actor.Anonymous() {
			if aerr := audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, Action: string(action),
				ResourceKind: "case", ResourceID: row.ID, Outcome: audit.Denied}); aerr != nil {
				return row, aerr
			}
		}
		if row.Sensitivity == access.TierClosed && errors.Is(err, domain.ErrForbidden) {
			return row, ErrClosedCase
		}
		return row, err
	}
	return row, nil
}

// Read returns a case. With sensitive, legal name and NIK are decrypted:
// that needs access.ReadCaseSensitive and is written to the audit log.
func (s *Service) Read(ctx context.Context, actor access.Actor, id string, sensitive bool) (Case, error) {
	action := access.ReadCase
	if sensitive {
		action = access.ReadCaseSensitive
	}
	row, err := s.authorize(ctx, actor, action, id)
	if err != nil {
		return Case{}, err
	}
	var ben beneficiaryRow
	if err := s.db.Gorm.WithContext(ctx).First(&ben, "id = ?", row.BeneficiaryID).Error; err != nil {
		return Case{}, fmt.Errorf("read beneficiary: %w", err)
	}
	consents, err := s.consents(ctx, row.ID)
	if err != nil {
		return Case{}, err
	}
	c := Case{ID: row.ID, CaseNo: row.CaseNo, UnitID: row.UnitID, Cluster: row.Cluster, Pillar: row.Pillar,
		Sensitivity: row.Sensitivity, IsChild: row.IsChild, AssignedStaffID: row.AssignedStaffID,
		OpenedOn: row.OpenedOn.Format(time.DateOnly), Consents: consents,
		Beneficiary: Beneficiary{ID: ben.ID, BirthDate: ben.BirthDate.Format(time.DateOnly), Sex: ben.Sex,
			ProvinceCode: ben.ProvinceCode, RegencyCode: ben.RegencyCode, HouseholdSize: ben.HouseholdSize}}
	if row.ClosedOn != nil {
		d := row.ClosedOn.Format(time.DateOnly)
		c.ClosedOn = &d
	}
	if !sensitive {
		return c, nil
	}
	if c.Beneficiary.LegalName, err = s.vault.Open(ben.LegalNameEnc, sealContext(ben.ID, "legal_name")); err != nil {
		return Case{}, fmt.Errorf("open legal name: %w", err)
	}
	if ben.NIKEnc != nil {
		if c.Beneficiary.NIK, err = s.vault.Open(ben.NIKEnc, sealContext(ben.ID, "nik")); err != nil {
			return Case{}, fmt.Errorf("open nik: %w", err)
		}
	}
	err = audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, Action: string(access.ReadCaseSensitive),
		ResourceKind: "case", ResourceID: row.ID, Detail: map[string]any{"fields": []string{"legal_name", "nik"}}})
	return c, err
}

// consents folds the append-only history into the current state per purpose.
func (s *Service) consents(ctx context.Context, caseID string) ([]Consent, error) {
	var rows []consentRow
	if err := s.db.Gorm.WithContext(ctx).Where("case_id = ?", caseID).Order("at, id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("read consents: %w", err)
	}
	latest := map[Purpose]Consent{}
	for _, r := range rows {
		latest[r.Purpose] = Consent{Purpose: r.Purpose, Status: r.Action, GivenBy: r.GivenBy, Method: r.Method, At: r.At}
	}
	out := []Consent{}
	for _, p := range purposes {
		if c, ok := latest[p]; ok {
			out = append(out, c)
		}
	}
	return out, nil
}

// Events lists a case's timeline, newest first.
func (s *Service) Events(ctx context.Context, actor access.Actor, caseID string, page domain.Page) (domain.List[Event], error) {
	out := domain.List[Event]{Items: []Event{}}
	if _, err := s.authorize(ctx, actor, access.ReadCase, caseID); err != nil {
		return out, err
	}
	q := s.db.Gorm.WithContext(ctx).Where("case_id = ?", caseID).Order("id DESC")
	if page.Cursor != "" {
		var before int64
		if _, err := fmt.Sscan(page.Cursor, &before); err != nil {
			return out, domain.Invalid("cursor", "field.cursor")
		}
		q = q.Where("id < ?", before)
	}
	rows, err := storage.Page(q, page, "events", func(r eventRow) string { return fmt.Sprint(r.ID) })
	if err != nil {
		return out, err
	}
	out.NextCursor = rows.NextCursor
	for _, r := range rows.Items {
		e := Event{ID: r.ID, Type: r.Type, OccurredAt: r.OccurredAt, ActorID: r.ActorID, OnBehalfOf: r.OnBehalfOf}
		if err := jsonUnmarshal(r.Data, &e.Data); err != nil {
			return out, err
		}
		out.Items = append(out.Items, e)
	}
	return out, nil
}

// AccessLog lists who did what to a case, newest first: staff use it to see
// who opened a PM's record.
func (s *Service) AccessLog(ctx context.Context, actor access.Actor, caseID string) ([]audit.Entry, error) {
	if _, err := s.authorize(ctx, actor, access.ReadCaseAccessLog, caseID); err != nil {
		return nil, err
	}
	return audit.ForResource(ctx, s.db.Gorm, "case", caseID, 200)
}
