package cases

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/storage"
)

// MinimumWage is a minimum wage for a year: the UMP of a province when
// RegencyCode is empty, else the UMK of that regency. Rows are versioned:
// a correction is a new row and the latest row for a key wins.
type MinimumWage struct {
	ID           int64      `json:"id,string"`
	Year         int        `json:"year"`
	ProvinceCode string     `json:"province_code"`
	RegencyCode  string     `json:"regency_code,omitempty"`
	AmountIDR    domain.IDR `json:"amount_idr"`
	Source       string     `json:"source"`
	RecordedAt   time.Time  `json:"recorded_at"`
}

// National is the province code of Indonesia as a whole, for a national
// poverty line.
const National = "00"

// PovertyLine is a BPS poverty line per capita per month for a province
// (code National for Indonesia) from the survey of Period (YYYY-MM).
type PovertyLine struct {
	ID           int64      `json:"id,string"`
	Period       string     `json:"period"`
	ProvinceCode string     `json:"province_code"`
	AmountIDR    domain.IDR `json:"amount_idr"`
	Source       string     `json:"source"`
	RecordedAt   time.Time  `json:"recorded_at"`
}

type minimumWageRow struct {
	ID           int64 `gorm:"primaryKey"`
	Year         int
	ProvinceCode string
	RegencyCode  string
	AmountIDR    domain.IDR `gorm:"column:amount_idr"`
	Source       string
	RecordedBy   *string
	RecordedAt   time.Time
}

func (minimumWageRow) TableName() string { return "minimum_wages" }

type povertyLineRow struct {
	ID           int64 `gorm:"primaryKey"`
	Period       string
	ProvinceCode string
	AmountIDR    domain.IDR `gorm:"column:amount_idr"`
	Source       string
	RecordedBy   *string
	RecordedAt   time.Time
}

func (povertyLineRow) TableName() string { return "poverty_lines" }

var periodPattern = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)

// ReferenceFilter narrows a reference list. With History every version is
// listed, not only the rows in force.
type ReferenceFilter struct {
	ProvinceCode string
	Year         int
	History      bool
}

// MinimumWages lists minimum wages, the rows in force unless f.History. It
// is public data: no actor needed.
func (s *Service) MinimumWages(ctx context.Context, f ReferenceFilter) ([]MinimumWage, error) {
	q := s.db.Gorm.WithContext(ctx).Model(&minimumWageRow{})
	if !f.History {
		// The latest row for a key is in force; earlier ones are history.
		q = q.Where(`id IN (SELECT DISTINCT ON (province_code, regency_code, year) id FROM minimum_wages
			ORDER BY province_code, regency_code, year, id DESC)`)
	}
	if f.ProvinceCode != "" {
		q = q.Where("province_code = ?", f.ProvinceCode)
	}
	if f.Year != 0 {
		q = q.Where("year = ?", f.Year)
	}
	var rows []minimumWageRow
	if err := q.Order("year DESC, province_code, regency_code, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list minimum wages: %w", err)
	}
	out := make([]MinimumWage, len(rows))
	for i, r := range rows {
		out[i] = r.view()
	}
	return out, nil
}

func (r minimumWageRow) view() MinimumWage {
	return MinimumWage{ID: r.ID, Year: r.Year, ProvinceCode: r.ProvinceCode, RegencyCode: r.RegencyCode,
		AmountIDR: r.AmountIDR, Source: r.Source, RecordedAt: r.RecordedAt}
}

// PovertyLines lists poverty lines, the rows in force unless f.History
// (f.Year filters on the period's year).
func (s *Service) PovertyLines(ctx context.Context, f ReferenceFilter) ([]PovertyLine, error) {
	q := s.db.Gorm.WithContext(ctx).Model(&povertyLineRow{})
	if !f.History {
		q = q.Where(`id IN (SELECT DISTINCT ON (province_code, period) id FROM poverty_lines
			ORDER BY province_code, period, id DESC)`)
	}
	if f.ProvinceCode != "" {
		q = q.Where("province_code = ?", f.ProvinceCode)
	}
	if f.Year != 0 {
		q = q.Where("period LIKE ?", fmt.Sprintf("%04d-%%", f.Year))
	}
	var rows []povertyLineRow
	if err := q.Order("period DESC, province_code, id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("list poverty lines: %w", err)
	}
	out := make([]PovertyLine, len(rows))
	for i, r := range rows {
		out[i] = r.view()
	}
	return out, nil
}

func (r povertyLineRow) view() PovertyLine {
	return PovertyLine{ID: r.ID, Period: r.Period, ProvinceCode: r.ProvinceCode, AmountIDR: r.AmountIDR, Source: r.Source, RecordedAt: r.RecordedAt}
}

// NewMinimumWage is the input of AddMinimumWage.
type NewMinimumWage struct {
	Year         int        `json:"year"`
	ProvinceCode string     `json:"province_code"`
	RegencyCode  string     `json:"regency_code"`
	AmountIDR    domain.IDR `json:"amount_idr"`
	Source       string     `json:"source"`
}

// MayManageReference tells whether actor may keep the minimum wages and
// poverty lines (their admin page and its forms): nil, or why not.
func (s *Service) MayManageReference(actor access.Actor) error {
	return access.Can(actor, access.ManageReference, access.Resource{}, s.now())
}

// AddMinimumWage records a minimum wage (admin only). For a key that has a
// row already, it is a correction: the new row wins from now on, and closed
// months keep the row they used.
func (s *Service) AddMinimumWage(ctx context.Context, actor access.Actor, in NewMinimumWage) (MinimumWage, error) {
	now := s.now()
	if err := s.MayManageReference(actor); err != nil {
		return MinimumWage{}, err
	}
	v := &domain.ValidationError{}
	if in.Year < 2000 || in.Year > 2100 {
		v.Add("year", "field.year")
	}
	provinceOK, regencyOK, err := s.regions.Check(ctx, in.ProvinceCode, in.RegencyCode)
	if err != nil {
		return MinimumWage{}, err
	}
	if !provinceOK {
		v.Add("province_code", "field.province")
	}
	if in.RegencyCode != "" && !regencyOK { // none: the province's UMP
		v.Add("regency_code", "cases.reference.regency")
	}
	validateAmountSource(v, in.AmountIDR, &in.Source)
	if err := v.Err(); err != nil {
		return MinimumWage{}, err
	}
	row := minimumWageRow{Year: in.Year, ProvinceCode: in.ProvinceCode, RegencyCode: in.RegencyCode, AmountIDR: in.AmountIDR,
		Source: in.Source, RecordedBy: &actor.UserID, RecordedAt: now.UTC()}
	err = s.addReference(ctx, actor, &row, "minimum_wage", &row.ID)
	return row.view(), err
}

// NewPovertyLine is the input of AddPovertyLine.
type NewPovertyLine struct {
	Period       string     `json:"period"`
	ProvinceCode string     `json:"province_code"`
	AmountIDR    domain.IDR `json:"amount_idr"`
	Source       string     `json:"source"`
}

// AddPovertyLine records a poverty line (admin only); like minimum wages,
// a second row for a key is a correction that wins from now on.
func (s *Service) AddPovertyLine(ctx context.Context, actor access.Actor, in NewPovertyLine) (PovertyLine, error) {
	now := s.now()
	if err := s.MayManageReference(actor); err != nil {
		return PovertyLine{}, err
	}
	v := &domain.ValidationError{}
	if !periodPattern.MatchString(in.Period) {
		v.Add("period", "cases.reference.period")
	}
	provinceOK, _, err := s.regions.Check(ctx, in.ProvinceCode, "")
	if err != nil {
		return PovertyLine{}, err
	}
	if !provinceOK && in.ProvinceCode != National {
		v.Add("province_code", "cases.reference.province")
	}
	validateAmountSource(v, in.AmountIDR, &in.Source)
	if err := v.Err(); err != nil {
		return PovertyLine{}, err
	}
	row := povertyLineRow{Period: in.Period, ProvinceCode: in.ProvinceCode, AmountIDR: in.AmountIDR, Source: in.Source,
		RecordedBy: &actor.UserID, RecordedAt: now.UTC()}
	err = s.addReference(ctx, actor, &row, "poverty_line", &row.ID)
	return row.view(), err
}

// addReference writes a reference row and its audit entry together; id
// points at the row's key, which the insert fills.
func (s *Service) addReference(ctx context.Context, actor access.Actor, row any, kind string, id *int64) error {
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.WithContext(ctx).Create(row).Error; err != nil {
			return fmt.Errorf("add %s: %w", kind, err)
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, Action: "reference." + kind + ".add",
			ResourceKind: kind, ResourceID: fmt.Sprint(*id)})
	})
}

func validateAmountSource(v *domain.ValidationError, amount domain.IDR, source *string) {
	if amount <= 0 || amount > 1_000_000_000 {
		v.Add("amount_idr", "cases.reference.amount")
	}
	*source = strings.TrimSpace(*source)
	if *source == "" || len(*source) > 500 {
		v.Add("source", "cases.reference.source")
	}
}
