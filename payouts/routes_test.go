package payouts_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/catalog/catalogtest"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/payouts"
)

func bankRoute(name, no string) payouts.RouteInput {
	return payouts.RouteInput{PayeeKind: payouts.PayeePM, Method: payouts.BankTransfer, AccountName: name, Bank: "BRI", AccountNo: no}
}

// TestConfirmNamesTheChangeItConfirms: staff swap the pending account for
// another with the same holder and last four digits after the supervisor
// opened the first; confirming the one they were shown is a conflict and
// changes nothing. No route_id is invalid; the maker never confirms; the
// change shown is confirmed, and again answers the same.
func TestConfirmNamesTheChangeItConfirms(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	shop := e.PMShop(t, "Tukar")
	shown, err := e.svc.SetRoute(ctx, e.Staff, shop.ID, bankRoute("Siti Aminah", "1111222233334444"))
	if err != nil {
		t.Fatal(err)
	}
	staff2 := e.User(t, access.Staff)
	swapped, err := e.svc.SetRoute(ctx, staff2, shop.ID, bankRoute("Siti Aminah", "9999888877774444"))
	if err != nil {
		t.Fatal(err)
	}
	if shown.Pending.AccountNoMasked != swapped.Pending.AccountNoMasked {
		t.Fatalf("the swap should look the same masked: %s, %s", shown.Pending.AccountNoMasked, swapped.Pending.AccountNoMasked)
	}
	if _, err := e.svc.ConfirmRoute(ctx, e.sup, shop.ID, payouts.ConfirmInput{RouteID: shown.Pending.ID}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("confirming the replaced change: %v, want conflict", err)
	}
	var confirmed int64
	e.DB.Gorm.Raw("SELECT count(*) FROM payout_routes WHERE shop_id = ? AND status = 'confirmed'", shop.ID).Scan(&confirmed)
	if confirmed != 0 {
		t.Fatal("a stale confirmation confirmed something")
	}
	if _, err := e.svc.ConfirmRoute(ctx, e.sup, shop.ID, payouts.ConfirmInput{}); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("no route_id: %v, want invalid", err)
	}
	// A supervisor who made the change never confirms it, naming it or not.
	mine, err := e.svc.SetRoute(ctx, e.sup, shop.ID, bankRoute("Siti Aminah", "5555666677778888"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.ConfirmRoute(ctx, e.sup, shop.ID, payouts.ConfirmInput{RouteID: mine.Pending.ID}); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the maker confirming: %v, want forbidden", err)
	}
	sup2 := e.User(t, access.Supervisor)
	v, err := e.svc.ConfirmRoute(ctx, sup2, shop.ID, payouts.ConfirmInput{RouteID: mine.Pending.ID})
	if err != nil || v.Pending != nil || v.Current.ID != mine.Pending.ID || v.Current.Status != "confirmed" {
		t.Fatalf("confirming the change shown: %+v %v", v, err)
	}
	if again, err := e.svc.ConfirmRoute(ctx, sup2, shop.ID, payouts.ConfirmInput{RouteID: mine.Pending.ID}); err != nil || again.Current.ID != mine.Pending.ID {
		t.Fatalf("the same confirmation again: %+v %v", again, err)
	}
}

// sensitiveShop opens a PM's shop for a case of the given cluster whose
// caseworker is the world's staff.
func (e *env) sensitiveShop(t *testing.T, cluster cases.Cluster, legal string) catalogtest.Shop {
	t.Helper()
	ctx := context.Background()
	seller := e.User(t, access.Seller)
	c, err := e.Cases.Create(ctx, e.Staff, cases.NewCase{
		Beneficiary: cases.NewBeneficiary{LegalName: legal, BirthDate: "1990-01-01", Sex: "female", ProvinceCode: "32", RegencyCode: "3275", HouseholdSize: 3},
		Cluster:     cluster, Pillar: "residensial", UnitID: e.Unit.ID,
		Consents: []cases.ConsentInput{{Purpose: cases.PurposeSelling, GivenBy: "self"}, {Purpose: cases.PurposeDataBridge, GivenBy: "self"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := e.Catalog.CreateShop(ctx, e.Staff, catalog.NewShop{Kind: catalog.BeneficiaryShop, DisplayName: "Toko Rahasia " + string(cluster)[:4],
		UnitID: e.Unit.ID, CaseID: &c.ID, OwnerUserID: seller.UserID})
	if err != nil {
		t.Fatal(err)
	}
	return catalogtest.Shop{Shop: sh, Seller: seller}
}

func (e *env) caseReads(t *testing.T, caseID, field string) int64 {
	t.Helper()
	var n int64
	e.DB.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'case.read_sensitive' AND resource_id = ? AND detail->'fields' @> jsonb_build_array(?::text)`, caseID, field).Scan(&n)
	return n
}

// TestAccountNameFollowsTheCaseTier: the account holder's name of a
// protected or closed case's shop is masked for staff without the right to
// the PM's legal name, full for the caseworker (and, protected, a
// supervisor) on a full read, and each full read is in the case's audit
// log. The proof photo of such a line and the bank export follow the same
// rule.
func TestAccountNameFollowsTheCaseTier(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	colleague := e.User(t, access.Staff)
	for _, tt := range []struct {
		cluster cases.Cluster
		supFull bool
	}{{cases.ClusterNapza, true}, {cases.ClusterTPPO, false}} {
		legal := "Melati " + string(tt.cluster)
		shop := e.sensitiveShop(t, tt.cluster, legal)
		caseID := *shop.CaseID
		v, err := e.svc.SetRoute(ctx, e.Staff, shop.ID, bankRoute(legal, "1234567890"))
		if err != nil {
			t.Fatal(err)
		}
		if !v.Pending.AccountNameMasked || strings.Contains(v.Pending.AccountName, "Melati ") {
			t.Fatalf("%s: the maker's plain answer names the PM: %+v", tt.cluster, v.Pending)
		}
		if _, err := e.svc.ConfirmRoute(ctx, e.sup, shop.ID, payouts.ConfirmInput{RouteID: v.Pending.ID}); err != nil {
			t.Fatal(err)
		}
		for name, a := range map[string]access.Actor{"caseworker": e.Staff, "colleague": colleague, "supervisor": e.sup} {
			want := name == "caseworker" || (name == "supervisor" && tt.supFull)
			before := e.caseReads(t, caseID, "payout_account_name")
			full, err := e.svc.ReadRoute(ctx, a, shop.ID, true)
			if err != nil {
				t.Fatalf("%s %s full read: %v", tt.cluster, name, err)
			}
			if got := full.Current.AccountName == legal; got != want || full.Current.AccountNameMasked == want || full.Current.AccountNo != "1234567890" {
				t.Errorf("%s %s: name %q (masked %v), number %q; want the name in full: %v", tt.cluster, name, full.Current.AccountName,
					full.Current.AccountNameMasked, full.Current.AccountNo, want)
			}
			if wrote := e.caseReads(t, caseID, "payout_account_name") - before; (wrote == 1) != want || wrote > 1 {
				t.Errorf("%s %s: %d audited name reads", tt.cluster, name, wrote)
			}
			plain, err := e.svc.ReadRoute(ctx, a, shop.ID, false)
			if err != nil || plain.Current.AccountName == legal || !plain.Current.AccountNameMasked {
				t.Errorf("%s %s plain read shows the name: %+v %v", tt.cluster, name, plain.Current, err)
			}
		}

		// The batch: the export masks the name for the colleague; the proof
		// photo opens to the caseworker only (a closed case's supervisor is
		// not cleared either), and each opening is audited.
		e.earn(t, e.Product(t, shop, "Produk "+string(tt.cluster), 20000, 5).ID, 1)
		b := e.approved(t)
		line := b.Lines[0]
		csv, err := e.svc.ExportCSV(ctx, colleague, b.ID)
		if err != nil || strings.Contains(string(csv), legal) || !strings.Contains(string(csv), "1234567890") {
			t.Errorf("%s colleague's export: %v\n%s", tt.cluster, err, csv)
		}
		if csv, err := e.svc.ExportCSV(ctx, e.Staff, b.ID); err != nil || !strings.Contains(string(csv), legal) {
			t.Errorf("%s caseworker's export lacks the name: %v\n%s", tt.cluster, err, csv)
		}
		if _, err := e.svc.AttachProof(ctx, e.Staff, b.ID, line.ID, bytes.NewReader(photo(t))); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.ProofLink(ctx, colleague, b.ID, line.ID); !errors.Is(err, domain.ErrForbidden) {
			t.Errorf("%s colleague's proof link: %v, want forbidden", tt.cluster, err)
		}
		if _, err := e.svc.ProofLink(ctx, e.sup, b.ID, line.ID); (err == nil) != tt.supFull {
			t.Errorf("%s supervisor's proof link: %v", tt.cluster, err)
		}
		before := e.caseReads(t, caseID, "payout_proof")
		if link, err := e.svc.ProofLink(ctx, e.Staff, b.ID, line.ID); err != nil || link == "" {
			t.Fatalf("%s caseworker's proof link: %q %v", tt.cluster, link, err)
		}
		var steps int64
		e.DB.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'payout_line.proof_read' AND resource_id = ? AND actor_id = ?`, b.ID, e.Staff.UserID).Scan(&steps)
		if e.caseReads(t, caseID, "payout_proof")-before != 1 || steps != 1 {
			t.Errorf("%s proof link audit: case %d, batch %d", tt.cluster, e.caseReads(t, caseID, "payout_proof")-before, steps)
		}
		if _, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, line.ID, payouts.PaidInput{Reference: "TRF-" + string(tt.cluster)}); err != nil {
			t.Fatal(err)
		}
	}
}

func photo(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 40, 30)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestLargeCashNeedsProofOrASecondPerson: a line paid in cash above the
// setting (a bank line recorded as cash included) is not paid on one
// person's word: their record waits, again from them is refused, a second
// person with another reference is refused, the same reference pays it
// with the first as witness. With a proof photo, one person pays.
func TestLargeCashNeedsProofOrASecondPerson(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	for _, name := range []string{"Besar", "Bukti"} {
		shop := e.PMShop(t, name)
		if name == "Besar" {
			v, err := e.svc.SetRoute(ctx, e.Staff, shop.ID, bankRoute("Rekening "+name, "1234567890"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := e.svc.ConfirmRoute(ctx, e.sup, shop.ID, payouts.ConfirmInput{RouteID: v.Pending.ID}); err != nil {
				t.Fatal(err)
			}
		}
		e.earn(t, e.Product(t, shop, "Lemari "+name, 600000, 5).ID, 2)
	}
	b := e.approved(t)
	lines := map[string]payouts.Line{}
	for _, l := range b.Lines {
		lines[l.ShopName] = l
	}
	bank, cash := lines["Toko Besar"], lines["Toko Bukti"]
	if bank.Method != payouts.BankTransfer || bank.AmountIDR != 1_200_000 || cash.Method != payouts.Cash {
		t.Fatalf("lines: %+v", b.Lines)
	}
	asCash := payouts.PaidInput{Reference: "KAS-1", Method: payouts.Cash}
	first, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, bank.ID, asCash)
	if err != nil || first.Status != payouts.LinePending || !first.AwaitingSecond || first.CashRecordedBy == nil || *first.CashRecordedBy != e.Staff.UserID {
		t.Fatalf("one person recording a bank line as cash: %+v %v", first, err)
	}
	if got := e.balance(t, bank.ShopID); got.PaidOutIDR != 0 || got.InPayoutIDR != 1_200_000 {
		t.Fatalf("money moved on one person's word: %+v", got)
	}
	if again, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, bank.ID, asCash); err != nil || !again.AwaitingSecond {
		t.Fatalf("the same person, same reference: %+v %v", again, err)
	}
	if _, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, bank.ID, payouts.PaidInput{Reference: "KAS-2", Method: payouts.Cash}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("the same person, another reference: %v, want conflict", err)
	}
	second := e.User(t, access.Staff)
	if _, err := e.svc.MarkPaid(ctx, second, b.ID, bank.ID, payouts.PaidInput{Reference: "KAS-9", Method: payouts.Cash}); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a second person with another reference: %v, want conflict", err)
	}
	paid, err := e.svc.MarkPaid(ctx, second, b.ID, bank.ID, asCash)
	if err != nil || paid.Status != payouts.LinePaid || paid.AwaitingSecond || *paid.PaidBy != second.UserID {
		t.Fatalf("the second person: %+v %v", paid, err)
	}
	var witnessed int64
	e.DB.Gorm.Raw(`SELECT count(*) FROM audit_log WHERE action = 'payout_line.paid' AND actor_id = ? AND detail->>'witness_id' = ?`,
		second.UserID, e.Staff.UserID).Scan(&witnessed)
	if witnessed != 1 {
		t.Fatalf("paid step with its witness: %d", witnessed)
	}

	// The default cash route, with a proof photo first: one person is
	// enough, and a handover someone else half-recorded before is dropped.
	if l, err := e.svc.MarkPaid(ctx, second, b.ID, cash.ID, payouts.PaidInput{Reference: "KAS-4"}); err != nil || !l.AwaitingSecond {
		t.Fatalf("a second person's half-recorded handover: %+v %v", l, err)
	}
	if _, err := e.svc.AttachProof(ctx, e.Staff, b.ID, cash.ID, bytes.NewReader(photo(t))); err != nil {
		t.Fatal(err)
	}
	if l, err := e.svc.MarkPaid(ctx, e.Staff, b.ID, cash.ID, payouts.PaidInput{Reference: "KAS-3"}); err != nil || l.Status != payouts.LinePaid {
		t.Fatalf("cash with a proof photo: %+v %v", l, err)
	}
	var recordedBy *string
	if err := e.DB.Gorm.Raw("SELECT cash_recorded_by FROM payout_lines WHERE id = ?", cash.ID).Scan(&recordedBy).Error; err != nil || recordedBy != nil {
		t.Fatalf("a line paid with a proof keeps someone's half-recorded handover: %v %v", recordedBy, err)
	}
	e.checkLedger(t)
}
