package cases

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/sentrakreasi/atensi/api"
	"github.com/sentrakreasi/atensi/domain"
)

// Handler serves the cases API.
type Handler struct{ svc *Service }

// NewHandler builds the handler.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Routes mounts the cases API under r (/api/v1).
func (h *Handler) Routes(r fiber.Router) {
	r.Post("/cases", api.Create(h.svc.Create))
	r.Get("/cases/:id", h.read)
	r.Get("/cases/:id/events", api.Paged(h.svc.Events))
	r.Get("/cases/:id/access-log", api.List(h.svc.AccessLog))
	r.Post("/cases/:id/consents", api.CreateOn(h.svc.RecordConsent))
	r.Get("/cases/:id/delegations", api.List(h.svc.CaseDelegations))
	r.Post("/cases/:id/named-staff", h.nameStaff)
	r.Post("/cases/:id/break-glass", h.breakGlass)
	r.Put("/cases/:id/assignee", h.assign)
	r.Get("/cases/:id/assessments", api.List(h.svc.Assessments))
	r.Post("/cases/:id/assessments", api.CreateOn(h.svc.RecordAssessment))
	r.Get("/cases/:id/guardian", h.guardian)
	r.Put("/cases/:id/guardian", api.Set(h.svc.SetGuardian))
	r.Post("/delegations", api.Create(h.svc.Delegate))
	r.Post("/delegations/:id/revoke", api.Read(h.svc.Revoke))
	r.Get("/me/delegations", api.Mine(h.svc.MyDelegations))
}

// read answers the case; ?include=sensitive adds legal name and NIK for
// readers with that right, and is audited.
func (h *Handler) read(c *fiber.Ctx) error {
	out, err := h.svc.Read(c.UserContext(), api.Actor(c), api.Param(c, "id"), c.Query("include") == "sensitive")
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) nameStaff(c *fiber.Ctx) error {
	var in struct {
		UserID string `json:"user_id"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if err := h.svc.NameStaff(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) assign(c *fiber.Ctx) error {
	var in struct {
		UserID string `json:"user_id"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if err := h.svc.Assign(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.UserID); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *Handler) guardian(c *fiber.Ctx) error {
	out, err := h.svc.ReadGuardian(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"guardian": out})
}

func (h *Handler) breakGlass(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.BreakGlass(c.UserContext(), api.Actor(c), api.Param(c, "id"), in.Reason)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

// OutcomeRoutes mounts the indicators, the staff entries on a case and the
// reference data under r (/api/v1).
func (h *Handler) OutcomeRoutes(r fiber.Router) {
	r.Get("/reference/minimum-wages", h.minimumWages)
	r.Post("/reference/minimum-wages", api.Create(h.svc.AddMinimumWage))
	r.Get("/reference/poverty-lines", h.povertyLines)
	r.Post("/reference/poverty-lines", api.Create(h.svc.AddPovertyLine))
	r.Get("/cases/:id/services", api.List(h.svc.Services))
	r.Post("/cases/:id/services", api.CreateOn(h.svc.RecordService))
	r.Get("/cases/:id/incomes", api.List(h.svc.Incomes))
	r.Post("/cases/:id/incomes", api.CreateOn(h.svc.RecordIncome))
	r.Post("/cases/:id/household-sizes", api.CreateOn(h.svc.RecordHouseholdSize))
	r.Get("/cases/:id/outcomes", h.outcomes)
	r.Post("/outcome-months/:month/recompute", h.recompute)
	r.Get("/units/:id/outcomes.csv", h.unitOutcomesCSV)
	r.Get("/units/:id/outcomes.xlsx", h.unitOutcomesXLSX)
	r.Get("/units/:id/outcomes", h.unitOutcomes)
	r.Get("/units/:id/case-outcomes.csv", h.caseOutcomesCSV)
	r.Get("/cases/:id/graduation-reviews", api.List(h.svc.GraduationReviews))
	r.Post("/cases/:id/graduation-reviews", api.CreateOn(h.svc.ReviewGraduation))
	r.Post("/cases/:id/graduation-reviews/:review/approve", h.decideGraduation(true))
	r.Post("/cases/:id/graduation-reviews/:review/reject", h.decideGraduation(false))
	r.Get("/graduation-reviews", api.Mine(h.svc.ProposedGraduations))
}

// decideGraduation approves or rejects a proposed graduation: POST
// .../graduation-reviews/{review}/approve, or .../reject {reason}.
func (h *Handler) decideGraduation(approve bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in struct {
			Reason string `json:"reason"`
		}
		if len(c.Body()) > 0 {
			if err := api.Decode(c, &in); err != nil {
				return err
			}
		}
		id, err := strconv.ParseInt(c.Params("review"), 10, 64)
		if err != nil {
			return domain.Errorf(domain.ErrNotFound, "cases.assessment.notfound")
		}
		out, err := h.svc.DecideGraduation(c.UserContext(), api.Actor(c), api.Param(c, "id"), id, approve, in.Reason)
		if err != nil {
			return err
		}
		return c.JSON(out)
	}
}

func referenceFilter(c *fiber.Ctx) (ReferenceFilter, error) {
	f := ReferenceFilter{ProvinceCode: c.Query("province_code"), History: c.QueryBool("history")}
	if y := c.Query("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 2000 || n > 2100 {
			return f, domain.Invalid("year", "field.year")
		}
		f.Year = n
	}
	return f, nil
}

func (h *Handler) minimumWages(c *fiber.Ctx) error {
	f, err := referenceFilter(c)
	if err != nil {
		return err
	}
	out, err := h.svc.MinimumWages(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) povertyLines(c *fiber.Ctx) error {
	f, err := referenceFilter(c)
	if err != nil {
		return err
	}
	out, err := h.svc.PovertyLines(c.UserContext(), f)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) outcomes(c *fiber.Ctx) error {
	out, err := h.svc.Outcomes(c.UserContext(), api.Actor(c), api.Param(c, "id"), c.Query("from"), c.Query("to"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) readUnitOutcomes(c *fiber.Ctx) (UnitOutcomes, error) {
	return h.svc.UnitOutcomes(c.UserContext(), api.Actor(c), api.Param(c, "id"), c.Query("from"), c.Query("to"))
}

func (h *Handler) unitOutcomes(c *fiber.Ctx) error {
	out, err := h.readUnitOutcomes(c)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) unitOutcomesCSV(c *fiber.Ctx) error {
	out, err := h.readUnitOutcomes(c)
	if err != nil {
		return err
	}
	b, err := UnitOutcomesCSV(out)
	if err != nil {
		return err
	}
	return api.SendFile(c, b, "text/csv; charset=utf-8", "outcomes-"+out.From+"-"+out.To+".csv")
}

func (h *Handler) unitOutcomesXLSX(c *fiber.Ctx) error {
	out, err := h.readUnitOutcomes(c)
	if err != nil {
		return err
	}
	b, err := UnitOutcomesXLSX(out)
	if err != nil {
		return err
	}
	return api.SendFile(c, b, api.XLSX, "outcomes-"+out.From+"-"+out.To+".xlsx")
}

// caseOutcomesCSV is the per-case export for the ministry: PM with the
// data_bridge_to_case_record consent, by case number only.
func (h *Handler) caseOutcomesCSV(c *fiber.Ctx) error {
	from, to := c.Query("from"), c.Query("to")
	b, err := h.svc.CaseOutcomesCSV(c.UserContext(), api.Actor(c), api.Param(c, "id"), from, to)
	if err != nil {
		return err
	}
	return api.SendFile(c, b, "text/csv; charset=utf-8", "case-outcomes.csv")
}

// recompute adds a new version of a closed month: POST
// /outcome-months/{YYYY-MM}/recompute {reason}, admin only.
func (h *Handler) recompute(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Recompute(c.UserContext(), api.Actor(c), api.Param(c, "month"), in.Reason)
	if err != nil {
		return err
	}
	return c.JSON(out)
}
