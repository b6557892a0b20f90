package cases_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/cases"
	"github.com/sentrakreasi/atensi/domain"
)

// The graduation task: due after six months at the minimum wage, answered
// by the caseworker's review, a proposal decided once by a supervisor who
// did not make it, and only an approval closes the case.
func TestGraduationReviewedProposedAndDecidedByAnotherSupervisor(t *testing.T) {
	f := setupAt(t, time.Date(2026, 1, 5, 3, 0, 0, 0, time.UTC))
	ctx := context.Background()
	pm := f.newPM(t, "3273", 1) // UMP Jawa Barat 2026: 2,317,601
	sup1, sup2 := f.user(t, "s1@uji.id", access.Supervisor), f.user(t, "s2@uji.id", access.Supervisor)
	for m := time.January; m <= time.June; m++ {
		f.clock.Set(time.Date(2026, m, 6, 3, 0, 0, 0, time.UTC))
		if _, err := f.svc.RecordIncome(ctx, f.staff, pm, cases.NewIncome{Month: time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC).Format("2006-01"),
			AmountIDR: 2400000, Kind: cases.IncomeWage, Verified: true}); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.Set(time.Date(2026, 7, 1, 0, 30, 0, 0, wib))
	f.closeDue(t)
	task := func() cases.CaseloadItem {
		t.Helper()
		load, err := f.svc.Caseload(ctx, f.staff, f.unit)
		if err != nil || len(load) != 1 {
			t.Fatalf("caseload: %v %v", load, err)
		}
		return load[0]
	}
	if it := task(); !it.GraduationDue || it.GraduationProposed {
		t.Fatalf("six months at the wage: the task is due: %+v", it)
	}

	review := func(who access.Actor, d cases.GraduationDecision) (cases.GraduationReview, error) {
		return f.svc.ReviewGraduation(ctx, who, pm, cases.NewGraduationReview{Decision: d})
	}
	if _, err := review(f.staff, "lulus"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("an unknown decision: %v", err)
	}
	cont, err := review(f.staff, cases.GraduationContinue)
	if err != nil || cont.Status != cases.GraduationAssessed || cont.StreakMonths != 6 {
		t.Fatalf("continue: %+v %v", cont, err)
	}
	if it := task(); it.GraduationDue {
		t.Fatalf("reviewed in this streak: the task is done: %+v", it)
	}

	proposal, err := review(f.staff, cases.GraduationGraduate)
	if err != nil || proposal.Status != cases.GraduationProposed {
		t.Fatalf("propose: %+v %v", proposal, err)
	}
	if _, err := review(f.staff, cases.GraduationGraduate); !errors.Is(err, domain.ErrConflict) {
		t.Fatalf("a second proposal while one waits: %v", err)
	}
	if it := task(); !it.GraduationProposed {
		t.Fatalf("the caseload shows the proposal waiting: %+v", it)
	}
	waiting, err := f.svc.ProposedGraduations(ctx, sup1)
	if err != nil || len(waiting) != 1 || waiting[0].ID != proposal.ID || waiting[0].CaseNo == "" {
		t.Fatalf("the supervisor's list: %+v %v", waiting, err)
	}
	if _, err := f.svc.DecideGraduation(ctx, f.staff, pm, proposal.ID, true, ""); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("a caseworker approves: %v", err)
	}
	if _, err := f.svc.DecideGraduation(ctx, sup1, pm, proposal.ID, false, "singkat"); !errors.Is(err, domain.ErrInvalid) {
		t.Fatalf("a rejection without a real reason: %v", err)
	}
	const why = "Pendapatan upah belum stabil, tinjau lagi bulan depan"
	if r, err := f.svc.DecideGraduation(ctx, sup1, pm, proposal.ID, false, why); err != nil || r.Status != cases.GraduationRejected {
		t.Fatalf("reject: %+v %v", r, err)
	}
	var sealed [][]byte
	if err := f.db.Gorm.Raw("SELECT reason_enc FROM case_graduations WHERE reason_enc IS NOT NULL").Scan(&sealed).Error; err != nil || len(sealed) != 1 {
		t.Fatalf("sealed reasons: %d %v", len(sealed), err)
	}
	if bytes.Contains(sealed[0], []byte("stabil")) {
		t.Fatal("the reason is stored in clear")
	}
	list, err := f.svc.GraduationReviews(ctx, f.staff, pm)
	if err != nil || len(list) != 2 || list[0].Reason != why {
		t.Fatalf("the case's reviews, newest first, with the reason opened: %+v %v", list, err)
	}

	// A supervisor's own proposal is decided by another one, once, even
	// when both try at the same time.
	own, err := review(sup1, cases.GraduationGraduate)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.DecideGraduation(ctx, sup1, pm, own.ID, true, ""); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("the proposer approves: %v", err)
	}
	var wg sync.WaitGroup
	results := make([]error, 6)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, results[i] = f.svc.DecideGraduation(ctx, sup2, pm, own.ID, true, "")
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range results {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, domain.ErrConflict):
			t.Fatalf("a concurrent approval: %v", err)
		}
	}
	if ok != 1 || f.countEvents(t, pm, "graduation_approved") != 1 {
		t.Fatalf("approved %d times, %d events; want once", ok, f.countEvents(t, pm, "graduation_approved"))
	}
	c, err := f.svc.Read(ctx, f.staff, pm, false)
	if err != nil || c.ClosedOn == nil || *c.ClosedOn != "2026-07-01" {
		t.Fatalf("the approved graduation closes the case today: %+v %v", c.ClosedOn, err)
	}
	if _, err := review(f.staff, cases.GraduationContinue); !errors.Is(err, cases.ErrCaseClosed) {
		t.Fatalf("a review of a closed case: %v", err)
	}
	if load, err := f.svc.Caseload(ctx, f.staff, f.unit); err != nil || len(load) != 0 {
		t.Fatalf("a graduated case leaves the caseload: %v %v", load, err)
	}
}
