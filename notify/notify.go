// Package notify is the outbox of messages to people (order confirmations,
// status changes): written with the change they tell about, sent by a
// periodic job over SMTP, or kept to be read when no SMTP server is set.
package notify

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/smtp"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/storage"
)

// Message is one email.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Body    string `json:"body"`
	// Kind and Ref name what the message is about ("order_paid", an order
	// id): the same message about the same thing is written only once.
	Kind string `json:"kind"`
	Ref  string `json:"ref"`
}

type row struct {
	ID        int64 `gorm:"primaryKey"`
	ToEmail   string
	Subject   string
	Body      string
	Kind      string
	Ref       string
	Status    string
	Attempts  int
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
}

func (row) TableName() string { return "notifications" }

// Queue writes a message inside tx, the transaction of the change.
func Queue(ctx context.Context, tx *gorm.DB, m Message, now time.Time) error {
	if strings.TrimSpace(m.To) == "" {
		return nil // an in-store buyer left no address
	}
	r := row{ToEmail: m.To, Subject: m.Subject, Body: m.Body, Kind: m.Kind, Ref: m.Ref, Status: "pending", CreatedAt: now.UTC()}
	if err := tx.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
		return fmt.Errorf("queue message: %w", err)
	}
	return nil
}

// SMTP says where to send mail; an empty Addr keeps messages unsent.
type SMTP struct {
	Addr     string // host:port
	From     string
	Username string
	Password string
}

// Sender delivers the outbox.
type Sender struct {
	DB   *storage.DB
	SMTP SMTP
	Now  func() time.Time
}

// maxAttempts bounds retries of a message the server keeps refusing.
const maxAttempts = 8

// SendPending sends (or keeps) every pending message, oldest first. Each
// message is locked while it is sent (SKIP LOCKED: several senders share
// the work) and marked in the same transaction, so a message is sent once;
// only a crash between the server's yes and the commit could repeat one.
func (s *Sender) SendPending(ctx context.Context) (int, error) {
	sent := 0
	for {
		var done bool
		err := s.DB.InTx(ctx, func(tx *storage.Tx) error {
			var r row
			err := tx.DB.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"}).
				Where("status = 'pending'").Order("id").Take(&r).Error
			if err == gorm.ErrRecordNotFound {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			updates := map[string]any{"attempts": r.Attempts + 1}
			switch {
			case s.SMTP.Addr == "":
				updates["status"] = "kept"
			default:
				if err := s.send(r); err != nil {
					updates["last_error"] = err.Error()
					if r.Attempts+1 >= maxAttempts {
						updates["status"] = "failed"
					} else {
						done = true // try the rest next run; the server may be down
					}
				} else {
					updates["status"], updates["sent_at"] = "sent", s.Now().UTC()
					sent++
				}
			}
			return tx.DB.WithContext(ctx).Model(&row{}).Where("id = ?", r.ID).Updates(updates).Error
		})
		if err != nil {
			return sent, fmt.Errorf("send notifications: %w", err)
		}
		if done {
			return sent, nil
		}
	}
}

func (s *Sender) send(r row) error {
	var auth smtp.Auth
	if s.SMTP.Username != "" {
		host := s.SMTP.Addr[:strings.LastIndex(s.SMTP.Addr, ":")]
		auth = smtp.PlainAuth("", s.SMTP.Username, s.SMTP.Password, host)
	}
	msg := "From: " + s.SMTP.From + "\r\nTo: " + r.ToEmail + "\r\nSubject: " + mimeHeader(r.Subject) +
		"\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n" + strings.ReplaceAll(r.Body, "\n", "\r\n")
	return smtp.SendMail(s.SMTP.Addr, auth, s.SMTP.From, []string{r.ToEmail}, []byte(msg))
}

// mimeHeader keeps a subject with non-ASCII letters readable.
func mimeHeader(s string) string {
	for _, r := range s {
		if r > 127 {
			return "=?UTF-8?B?" + base64Std(s) + "?="
		}
	}
	return s
}

// SendArgs is the periodic job that sends the outbox.
type SendArgs struct{}

// Kind names the job in the queue.
func (SendArgs) Kind() string { return "send_notifications" }

// Kept is a message not sent: waiting for the sender, kept (no SMTP
// server) or failed.
type Kept struct {
	Message
	Status    string    `json:"status"`
	LastError string    `json:"last_error,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Outbox lets admins read what was kept, so nothing a buyer or supervisor
// was told is lost when no SMTP server is set.
type Outbox struct {
	DB  *storage.DB
	Now func() time.Time
}

// Kept lists the newest messages not sent, for admins.
func (o *Outbox) Kept(ctx context.Context, actor access.Actor, limit int) ([]Kept, error) {
	if err := access.Can(actor, access.ReadOutbox, access.Resource{}, o.Now()); err != nil {
		return nil, err
	}
	var rows []row
	if err := o.DB.Gorm.WithContext(ctx).Where("status IN ('pending', 'kept', 'failed')").Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("kept messages: %w", err)
	}
	out := make([]Kept, len(rows))
	for i, r := range rows {
		out[i] = Kept{Message: Message{To: r.ToEmail, Subject: r.Subject, Body: r.Body, Kind: r.Kind, Ref: r.Ref},
			Status: r.Status, LastError: r.LastError, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

func base64Std(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
