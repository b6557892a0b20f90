package payouts

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
)

// exportHeader is the bank bulk-transfer shape: who, which bank, which
// account, how much, and the reference to put on the transfer.
var exportHeader = []string{"name", "bank", "account", "amount", "reference", "method", "shop"}

// exportRows are a batch's open and paid lines as a bank's bulk transfer
// wants them. Full account numbers are in them, so every export is audited.
func (s *Service) exportRows(ctx context.Context, actor access.Actor, batchID, format string) ([][]string, error) {
	b, err := s.ReadBatch(ctx, actor, batchID)
	if err != nil {
		return nil, err
	}
	routeIDs := []string{}
	for _, l := range b.Lines {
		if l.RouteID != nil {
			routeIDs = append(routeIDs, *l.RouteID)
		}
	}
	routes := map[string]routeRow{}
	if len(routeIDs) > 0 {
		var rows []routeRow
		if err := s.db.Gorm.WithContext(ctx).Where("id IN ?", routeIDs).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("export routes: %w", err)
		}
		for _, r := range rows {
			routes[r.ID] = r
		}
	}
	// The holder's name may be the PM's legal name: in full only for an
	// exporter with the right to it, case by case (and audited there).
	names := map[string]bool{}
	out := [][]string{exportHeader}
	for _, l := range b.Lines {
		if l.Status == LineCancelled {
			continue
		}
		name, bank, account := l.ShopName, "", ""
		if l.RouteID != nil {
			open, seen := names[l.ShopID]
			if !seen {
				sh, err := s.shops.ShopOf(ctx, l.ShopID)
				if err != nil {
					return nil, err
				}
				if open, err = s.openNames(ctx, actor, sh, "payout_account_name"); err != nil {
					return nil, err
				}
				names[l.ShopID] = open
			}
			full, err := s.routeOf(routes[*l.RouteID], true, true, open)
			if err != nil {
				return nil, err
			}
			name, bank, account = full.AccountName, full.Bank, full.AccountNo
		}
		ref := "ATN-" + strings.ToUpper(strings.ReplaceAll(l.ID, "-", "")[20:])
		if l.Reference != nil {
			ref = *l.Reference
		}
		out = append(out, []string{name, bank, account, strconv.FormatInt(int64(l.AmountIDR), 10), ref, string(l.Method), l.ShopName})
	}
	err = audit.Record(ctx, s.db.Gorm, audit.Entry{ActorID: actor.UserID, Action: "payout_batch.export", ResourceKind: "payout_batch",
		ResourceID: b.ID, Detail: map[string]any{"format": format, "fields": []string{"account_no"}}})
	return out, err
}

// ExportCSV is a batch as a bulk-transfer CSV file.
func (s *Service) ExportCSV(ctx context.Context, actor access.Actor, batchID string) ([]byte, error) {
	rows, err := s.exportRows(ctx, actor, batchID, "csv")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, r := range rows {
		// A cell starting with = + - @ is a formula to a spreadsheet: quote it away.
		for i, c := range r {
			if c != "" && strings.ContainsRune("=+-@", rune(c[0])) {
				r[i] = "'" + c
			}
		}
		if err := w.Write(r); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// ExportXLSX is a batch as a bulk-transfer spreadsheet; amounts are numbers
// and account numbers text, so leading zeros survive.
func (s *Service) ExportXLSX(ctx context.Context, actor access.Actor, batchID string) ([]byte, error) {
	rows, err := s.exportRows(ctx, actor, batchID, "xlsx")
	if err != nil {
		return nil, err
	}
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Sheet1"
	for i, r := range rows {
		vals := make([]any, len(r))
		for j, c := range r {
			vals[j] = c
		}
		if i > 0 {
			n, _ := strconv.ParseInt(r[3], 10, 64)
			vals[3] = n
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return nil, err
		}
		if err := f.SetSheetRow(sheet, cell, &vals); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
