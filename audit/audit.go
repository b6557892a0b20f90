// Package audit writes and reads the append-only audit log: who did what to
// which resource, on whose behalf, with what outcome, under which request.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The outcomes of an audited action.
const (
	OK     = "ok"
	Denied = "denied"
)

// Entry is one line of the audit log.
type Entry struct {
	ID           int64          `json:"id"`
	At           time.Time      `json:"at"`
	ActorID      string         `json:"actor_id,omitempty"`
	OnBehalfOf   string         `json:"on_behalf_of,omitempty"`
	Action       string         `json:"action"`
	ResourceKind string         `json:"resource_kind"`
	ResourceID   string         `json:"resource_id"`
	Outcome      string         `json:"outcome"`
	RequestID    string         `json:"request_id,omitempty"`
	Detail       map[string]any `json:"detail,omitempty"`
}

type row struct {
	ID           int64 `gorm:"primaryKey"`
	At           time.Time
	ActorID      *string
	OnBehalfOf   *string
	Action       string
	ResourceKind string
	ResourceID   string
	Outcome      string
	RequestID    string
	Detail       []byte `gorm:"type:jsonb"`
}

func (row) TableName() string { return "audit_log" }

type requestIDKey struct{}

// WithRequestID carries the request id down to the log lines written for it.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// Record appends an entry; use the transaction of the change it describes.
func Record(ctx context.Context, db *gorm.DB, e Entry) error {
	detail, err := json.Marshal(e.Detail)
	if err != nil || e.Detail == nil {
		detail = []byte("{}")
	}
	id, _ := ctx.Value(requestIDKey{}).(string)
	r := row{
		At: time.Now().UTC(), ActorID: nullable(e.ActorID), OnBehalfOf: nullable(e.OnBehalfOf),
		Action: e.Action, ResourceKind: e.ResourceKind, ResourceID: e.ResourceID,
		Outcome: e.Outcome, RequestID: id, Detail: detail,
	}
	if r.Outcome == "" {
		r.Outcome = OK
	}
	if err := db.WithContext(ctx).Create(&r).Error; err != nil {
		return fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return nil
}

// ForResource lists the newest entries about one resource.
func ForResource(ctx context.Context, db *gorm.DB, kind, id string, limit int) ([]Entry, error) {
	var rows []row
	err := db.WithContext(ctx).Where("resource_kind = ? AND resource_id = ?", kind, id).
		Order("at DESC, id DESC").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	out := make([]Entry, len(rows))
	for i, r := range rows {
		out[i] = Entry{ID: r.ID, At: r.At, ActorID: deref(r.ActorID), OnBehalfOf: deref(r.OnBehalfOf),
			Action: r.Action, ResourceKind: r.ResourceKind, ResourceID: r.ResourceID,
			Outcome: r.Outcome, RequestID: r.RequestID}
		_ = json.Unmarshal(r.Detail, &out[i].Detail)
	}
	return out, nil
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
