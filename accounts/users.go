package accounts

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/audit"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/locale"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/storage"
)

// NewUser is the input for creating an account.
type NewUser struct {
	Email    string      `json:"email"`
	Password string      `json:"password"`
	Name     string      `json:"name"`
	Role     access.Role `json:"role"`
	UnitID   *string     `json:"unit_id"`
	// Lang is the language of the request, for the notice an address that
	// already has an account gets.
	Lang string `json:"-"`
}

// Register creates a buyer account; anyone may. When the email already has
// an account nothing is created and the owner is told by email instead; the
// User is then empty and the error nil, so that callers answer the same
// either way and registration never tells whether an address has an account.
func (s *Service) Register(ctx context.Context, in NewUser) (User, error) {
	in.Role, in.UnitID = access.Buyer, nil
	// The verification link goes out with the account, in its transaction.
	u, err := s.createUser(ctx, "", in, func(tx *storage.Tx, u User) error { return s.queueVerification(ctx, tx, u, in.Lang) })
	if errors.Is(err, errEmailTaken) {
		return User{}, s.tellOwnerOfRegistration(ctx, u.Email, in.Lang)
	}
	return u, err
}

// errEmailTaken marks the unique violation on users.email.
var errEmailTaken = errors.New("email taken")

// tellOwnerOfRegistration mails the owner of email that someone tried to
// register with it, at most once a day, through the outbox.
func (s *Service) tellOwnerOfRegistration(ctx context.Context, email, lang string) error {
	now := s.now()
	return s.db.InTx(ctx, func(tx *storage.Tx) error {
		var owner User
		if err := tx.DB.Select("id", "name").Take(&owner, "email = ?", email).Error; err != nil {
			return fmt.Errorf("registration notice: %w", err)
		}
		p := locale.For(lang)
		body := p.Text("email.registration.body", owner.Name)
		return notify.Queue(ctx, tx.DB, notify.Message{To: email, Subject: p.Text("email.registration.subject"),
			Body: body, Kind: "registration_taken", Ref: owner.ID + "/" + now.UTC().Format(time.DateOnly)}, now)
	})
}

// CreateUser creates an account for a unit: by an admin for any role, by a
// unit's staff for the people they serve (see access.CreateUser).
func (s *Service) CreateUser(ctx context.Context, actor access.Actor, in NewUser) (User, error) {
	unitID := ""
	if in.UnitID != nil {
		unitID = *in.UnitID
	}
	if !actor.Anonymous() && actor.Role != access.Admin && unitID == "" {
		// Staff create accounts for their own unit unless they name another.
		unitID = actor.UnitID
		in.UnitID = &unitID
	}
	if err := access.Can(actor, access.CreateUser, access.Resource{UnitID: unitID, Role: in.Role}, s.now()); err != nil {
		return User{}, err
	}
	return s.createUser(ctx, actor.UserID, in, nil)
}

// CreateUserAsOperator creates any account without an acting user: the
// `admin create-user` command run by whoever operates the server.
func (s *Service) CreateUserAsOperator(ctx context.Context, in NewUser) (User, error) {
	return s.createUser(ctx, "", in, nil)
}

// createUser makes the account; after, when given, runs in its transaction.
func (s *Service) createUser(ctx context.Context, creatorID string, in NewUser, after func(*storage.Tx, User) error) (User, error) {
	v := &domain.ValidationError{}
	in.Name = strings.TrimSpace(in.Name)
	in.Email = normalizeEmail(v, in.Email)
	if in.Name == "" || utf8.RuneCountInString(in.Name) > 200 {
		v.Add("name", "accounts.name.required")
	}
	if !slices.Contains(access.Roles, in.Role) {
		v.Add("role", "accounts.role.unknown")
	}
	if in.UnitID != nil && *in.UnitID == "" {
		in.UnitID = nil
	}
	switch {
	case in.Role == access.Admin || in.Role == access.Buyer:
		if in.UnitID != nil {
			v.Add("unit_id", "accounts.unit.notbound")
		}
	case in.UnitID == nil:
		if in.Role.WorksForUnit() {
			v.Add("unit_id", "accounts.unit.required")
		}
	default:
		unit, err := s.Unit(ctx, *in.UnitID)
		switch {
		case err != nil:
			v.Add("unit_id", "accounts.unit.notfound")
		case !fitsUnit(in.Role, unit):
			v.Add("unit_id", "accounts.unit.lks")
		}
	}
	if err := checkPassword("password", in.Password, in.Name, strings.Split(in.Email, "@")[0]); err != nil {
		v.Fields = append(v.Fields, err.(*domain.ValidationError).Fields...)
	}
	if err := v.Err(); err != nil {
		return User{}, err
	}
	now := s.now().UTC()
	u := User{ID: domain.NewID(), Email: in.Email, Name: in.Name, Role: in.Role, UnitID: in.UnitID,
		PasswordHash: hashPassword(in.Password), CreatedAt: now, UpdatedAt: now}
	if creatorID != "" {
		u.CreatedBy = &creatorID
	}
	err := s.db.InTx(ctx, func(tx *storage.Tx) error {
		if err := tx.DB.Create(&u).Error; err != nil {
			if storage.IsUniqueViolation(err, "users_email_key") {
				return fmt.Errorf("%w: %w", errEmailTaken, domain.Invalid("email", "accounts.email.taken"))
			}
			return fmt.Errorf("create user: %w", err)
		}
		if after != nil {
			if err := after(tx, u); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx.DB, audit.Entry{ActorID: creatorID, Action: "user.create", ResourceKind: "user",
			ResourceID: u.ID, Detail: map[string]any{"role": u.Role}})
	})
	return u, err
}

// User finds an account by id.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	var u User
	err := storage.Find(ctx, s.db.Gorm, &u, id, "user")
	return u, err
}

// UnitUsers lists the accounts of a unit, oldest first.
func (s *Service) UnitUsers(ctx context.Context, actor access.Actor, unitID string, page domain.Page) (domain.List[User], error) {
	var out domain.List[User]
	if !domain.ValidID(unitID) {
		return out, fmt.Errorf("unit %q: %w", unitID, domain.ErrNotFound)
	}
	if err := access.Can(actor, access.ListUsers, access.Resource{UnitID: unitID}, s.now()); err != nil {
		return out, err
	}
	q := s.db.Gorm.WithContext(ctx).Where("unit_id = ?", unitID).Order("id")
	if page.Cursor != "" {
		if !domain.ValidID(page.Cursor) {
			return out, domain.Invalid("cursor", "field.cursor")
		}
		q = q.Where("id > ?", page.Cursor)
	}
	return storage.Page(q, page, "users", func(u User) string { return u.ID })
}

// Membership says what role a user has and for which unit ("" for none); the
// cases package uses it to check who may be assigned or delegated.
func (s *Service) Membership(ctx context.Context, userID string) (access.Role, string, error) {
	u, err := s.User(ctx, userID)
	if err != nil {
		return "", "", err
	}
	unit := ""
	if u.UnitID != nil {
		unit = *u.UnitID
	}
	return u.Role, unit, nil
}
