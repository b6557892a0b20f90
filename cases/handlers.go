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
	r.Post("/cases", h.create)
	r.Get("/cases/:id", h.read)
	r.Get("/cases/:id/events", h.events)
	r.Get("/cases/:id/access-log", h.accessLog)
	r.Post("/cases/:id/consents", h.recordConsent)
	r.Get("/cases/:id/delegations", h.caseDelegations)
	r.Post("/cases/:id/named-staff", h.nameStaff)
	r.Post("/cases/:id/break-glass", h.breakGlass)
	r.Put("/cases/:id/assignee", h.assign)
	r.Get("/cases/:id/assessments", h.assessments)
	r.Post("/cases/:id/assessments", h.recordAssessment)
	r.Get("/cases/:id/guardian", h.guardian)
	r.Put("/cases/:id/guardian", h.setGuardian)
	r.Post("/delegations", h.delegate)
	r.Post("/delegations/:id/revoke", h.revoke)
	r.Get("/me/delegations", h.myDelegations)
}

func (h *Handler) create(c *fiber.Ctx) error {
	var in NewCase
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(c.UserContext(), api.Actor(c), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
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

func (h *Handler) events(c *fiber.Ctx) error {
	page, err := api.Page(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Events(c.UserContext(), api.Actor(c), api.Param(c, "id"), page)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) accessLog(c *fiber.Ctx) error {
	out, err := h.svc.AccessLog(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) recordConsent(c *fiber.Ctx) error {
	var in ConsentInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordConsent(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
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

func (h *Handler) assessments(c *fiber.Ctx) error {
	out, err := h.svc.Assessments(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) recordAssessment(c *fiber.Ctx) error {
	var in NewAssessment
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordAssessment(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) guardian(c *fiber.Ctx) error {
	out, err := h.svc.ReadGuardian(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"guardian": out})
}

func (h *Handler) setGuardian(c *fiber.Ctx) error {
	var in GuardianInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if err := h.svc.SetGuardian(c.UserContext(), api.Actor(c), api.Param(c, "id"), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
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

func (h *Handler) caseDelegations(c *fiber.Ctx) error {
	out, err := h.svc.CaseDelegations(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) delegate(c *fiber.Ctx) error {
	var in NewDelegation
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Delegate(c.UserContext(), api.Actor(c), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) revoke(c *fiber.Ctx) error {
	out, err := h.svc.Revoke(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *Handler) myDelegations(c *fiber.Ctx) error {
	out, err := h.svc.MyDelegations(c.UserContext(), api.Actor(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

// OutcomeRoutes mounts the indicators, the staff entries on a case and the
// reference data under r (/api/v1).
func (h *Handler) OutcomeRoutes(r fiber.Router) {
	r.Get("/reference/minimum-wages", h.minimumWages)
	r.Post("/reference/minimum-wages", h.addMinimumWage)
	r.Get("/reference/poverty-lines", h.povertyLines)
	r.Post("/reference/poverty-lines", h.addPovertyLine)
	r.Get("/cases/:id/services", h.services)
	r.Post("/cases/:id/services", h.recordService)
	r.Get("/cases/:id/incomes", h.incomes)
	r.Post("/cases/:id/incomes", h.recordIncome)
	r.Post("/cases/:id/household-sizes", h.recordHouseholdSize)
	r.Get("/cases/:id/outcomes", h.outcomes)
	r.Post("/outcome-months/:month/recompute", h.recompute)
	r.Get("/units/:id/outcomes.csv", h.unitOutcomesCSV)
	r.Get("/units/:id/outcomes.xlsx", h.unitOutcomesXLSX)
	r.Get("/units/:id/outcomes", h.unitOutcomes)
	r.Get("/units/:id/case-outcomes.csv", h.caseOutcomesCSV)
	r.Get("/cases/:id/graduation-reviews", h.graduationReviews)
	r.Post("/cases/:id/graduation-reviews", h.reviewGraduation)
	r.Post("/cases/:id/graduation-reviews/:review/approve", h.decideGraduation(true))
	r.Post("/cases/:id/graduation-reviews/:review/reject", h.decideGraduation(false))
	r.Get("/graduation-reviews", h.proposedGraduations)
}

func (h *Handler) graduationReviews(c *fiber.Ctx) error {
	out, err := h.svc.GraduationReviews(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) reviewGraduation(c *fiber.Ctx) error {
	var in NewGraduationReview
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.ReviewGraduation(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
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

func (h *Handler) proposedGraduations(c *fiber.Ctx) error {
	out, err := h.svc.ProposedGraduations(c.UserContext(), api.Actor(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
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

func (h *Handler) addMinimumWage(c *fiber.Ctx) error {
	var in NewMinimumWage
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.AddMinimumWage(c.UserContext(), api.Actor(c), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) addPovertyLine(c *fiber.Ctx) error {
	var in NewPovertyLine
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.AddPovertyLine(c.UserContext(), api.Actor(c), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) services(c *fiber.Ctx) error {
	out, err := h.svc.Services(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) recordService(c *fiber.Ctx) error {
	var in NewServiceEntry
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordService(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) incomes(c *fiber.Ctx) error {
	out, err := h.svc.Incomes(c.UserContext(), api.Actor(c), api.Param(c, "id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"items": out})
}

func (h *Handler) recordIncome(c *fiber.Ctx) error {
	var in NewIncome
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordIncome(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
}

func (h *Handler) recordHouseholdSize(c *fiber.Ctx) error {
	var in NewHouseholdSize
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordHouseholdSize(c.UserContext(), api.Actor(c), api.Param(c, "id"), in)
	if err != nil {
		return err
	}
	return api.Created(c, out)
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
	return sendFile(c, b, "text/csv; charset=utf-8", "outcomes-"+out.From+"-"+out.To+".csv")
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
	return sendFile(c, b, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "outcomes-"+out.From+"-"+out.To+".xlsx")
}

// caseOutcomesCSV is the per-case export for the ministry: PM with the
// data_bridge_to_case_record consent, by case number only.
func (h *Handler) caseOutcomesCSV(c *fiber.Ctx) error {
	from, to := c.Query("from"), c.Query("to")
	b, err := h.svc.CaseOutcomesCSV(c.UserContext(), api.Actor(c), api.Param(c, "id"), from, to)
	if err != nil {
		return err
	}
	return sendFile(c, b, "text/csv; charset=utf-8", "case-outcomes.csv")
}

// sendFile answers a download that no cache may keep: aggregates are
// still case data.
func sendFile(c *fiber.Ctx, b []byte, contentType, name string) error {
	c.Set(fiber.HeaderContentType, contentType)
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(b)
}
