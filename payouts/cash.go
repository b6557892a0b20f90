package payouts

import (
	"context"
	"errors"
	"strings"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/ledger"
	"github.com/sentrakreasi/atensi/storage"
)

// CashInput is the body of POST /shops/{id}/cash-sales.
type CashInput struct {
	AmountIDR domain.IDR `json:"amount_idr"`
	Reference string     `json:"reference"`
}

// RecordSellerCash records cash a seller collected themselves (staff of the
// unit), so it counts as earned. It is posted between seller_cash and
// cash_with_seller and never enters seller_available: the platform never
// held that money, so no batch can pay it out again. The reference makes
// a repeated record a no-op answer.
func (s *Service) RecordSellerCash(ctx context.Context, actor access.Actor, shopID string, in CashInput) (ledger.Balance, error) {
	sh, err := s.shops.ShopOf(ctx, shopID)
	if err != nil {
		return ledger.Balance{}, err
	}
	if err := s.staffForShop(ctx, actor, access.ManagePayouts, sh); err != nil {
		return ledger.Balance{}, err
	}
	in.Reference = strings.TrimSpace(in.Reference)
	v := &domain.ValidationError{}
	if in.AmountIDR < 1 || in.AmountIDR > 100_000_000 {
		v.Add("amount_idr", "payouts.cash.amount")
	}
	if l := len(in.Reference); l < 1 || l > 100 {
		v.Add("reference", "payouts.cash.reference")
	}
	if err := v.Err(); err != nil {
		return ledger.Balance{}, err
	}
	err = s.db.InTx(ctx, func(tx *storage.Tx) error {
		err := ledger.Post(ctx, tx, "seller_cash", sh.ID+":"+in.Reference, s.now(),
			ledger.Posting{Account: ledger.CashWithSeller(sh.ID), Amount: in.AmountIDR},
			ledger.Posting{Account: ledger.SellerCash(sh.ID), Amount: -in.AmountIDR})
		if errors.Is(err, ledger.ErrPosted) {
			return nil
		}
		if err != nil {
			return err
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: actor.UserID, OnBehalfOf: deref(sh.CaseID), Action: "seller_cash.record",
			ResourceKind: "shop", ResourceID: sh.ID, Detail: map[string]any{"amount_idr": in.AmountIDR, "reference": in.Reference}})
	})
	if err != nil {
		return ledger.Balance{}, err
	}
	return ledger.ShopBalance(ctx, s.db.Gorm, sh.ID)
}
