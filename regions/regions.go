// Package regions is Indonesia's provinces and regencies (cities among
// them) by their Kemendagri/BPS codes, as migration 00029 seeds them: the
// lists forms offer, the names pages show for a code, and the check that a
// code is a real one.
package regions

import (
	"context"
	"fmt"
	"sync"

	"github.com/sentrakreasi/atensi/storage"
)

// Province is a province with its regencies, in code order.
type Province struct {
	Code      string
	Name      string
	Regencies []Regency
}

// Regency is a regency (kabupaten) or city (kota).
type Regency struct {
	Code, ProvinceCode, Name string
}

// Directory reads the regions once (migrations fix them) and answers from
// memory after.
type Directory struct {
	db        *storage.DB
	mu        sync.Mutex
	provinces []Province
	province  map[string]string  // code -> name
	regency   map[string]Regency // code -> regency
	names     map[string]string  // province and regency code -> name
}

// New is the directory of db's regions.
func New(db *storage.DB) *Directory { return &Directory{db: db} }

func (d *Directory) load(ctx context.Context) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.province != nil {
		return nil
	}
	var ps []struct{ Code, Name string }
	if err := d.db.Gorm.WithContext(ctx).Raw(`SELECT code, name FROM provinces ORDER BY code`).Scan(&ps).Error; err != nil {
		return fmt.Errorf("provinces: %w", err)
	}
	var rs []Regency
	if err := d.db.Gorm.WithContext(ctx).Raw(`SELECT code, province_code, name FROM regencies ORDER BY code`).Scan(&rs).Error; err != nil {
		return fmt.Errorf("regencies: %w", err)
	}
	province, regency := map[string]string{}, map[string]Regency{}
	var list []Province
	index := map[string]int{}
	for _, p := range ps {
		province[p.Code] = p.Name
		index[p.Code] = len(list)
		list = append(list, Province{Code: p.Code, Name: p.Name})
	}
	for _, r := range rs {
		regency[r.Code] = r
		list[index[r.ProvinceCode]].Regencies = append(list[index[r.ProvinceCode]].Regencies, r)
	}
	names := make(map[string]string, len(province)+len(regency))
	for c, n := range province {
		names[c] = n
	}
	for c, r := range regency {
		names[c] = r.Name
	}
	d.provinces, d.province, d.regency, d.names = list, province, regency, names
	return nil
}

// Provinces lists the provinces with their regencies, in code order.
func (d *Directory) Provinces(ctx context.Context) ([]Province, error) {
	if err := d.load(ctx); err != nil {
		return nil, err
	}
	return d.provinces, nil
}

// Check says whether province is a province's code and regency the code of
// one of its regencies. An empty regency is not one.
func (d *Directory) Check(ctx context.Context, province, regency string) (provinceOK, regencyOK bool, err error) {
	if err := d.load(ctx); err != nil {
		return false, false, err
	}
	_, provinceOK = d.province[province]
	r, ok := d.regency[regency]
	return provinceOK, ok && r.ProvinceCode == province, nil
}

// Names maps every province and regency code to its name, for pages that
// show a code. The map is shared: read it, never write to it.
func (d *Directory) Names(ctx context.Context) (map[string]string, error) {
	if err := d.load(ctx); err != nil {
		return nil, err
	}
	return d.names, nil
}
