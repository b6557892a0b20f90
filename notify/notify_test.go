package notify_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/access"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/notify"
	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// smtpSink is a minimal SMTP server that accepts every message and keeps it.
type smtpSink struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []string
}

func newSMTPSink(t *testing.T) *smtpSink {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(c)
		}
	}()
	return s
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	reply := func(line string) { _, _ = c.Write([]byte(line + "\r\n")) }
	reply("220 sink ready")
	var data strings.Builder
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if inData {
			if line == ".\r\n" {
				inData = false
				s.mu.Lock()
				s.msgs = append(s.msgs, data.String())
				s.mu.Unlock()
				data.Reset()
				reply("250 queued")
				continue
			}
			data.WriteString(line)
			continue
		}
		switch cmd := strings.ToUpper(strings.TrimSpace(line)); {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			reply("250 sink")
		case cmd == "DATA":
			inData = true
			reply("354 go on")
		case cmd == "QUIT":
			reply("221 bye")
			return
		default:
			reply("250 ok")
		}
	}
}

func (s *smtpSink) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

func queue(t *testing.T, db *storage.DB, m notify.Message) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *storage.Tx) error { return notify.Queue(context.Background(), tx.DB, m, time.Now()) })
	if err != nil {
		t.Fatal(err)
	}
}

func TestOutboxSendsEachMessageOnce(t *testing.T) {
	db := storagetest.DB(t)
	sink := newSMTPSink(t)
	msg := notify.Message{To: "budi@contoh.id", Subject: "Pesanan diterima", Body: "Terima kasih.", Kind: "order_received", Ref: "g1"}
	queue(t, db, msg)
	queue(t, db, msg) // the same news about the same thing is written once
	queue(t, db, notify.Message{To: "siti@contoh.id", Subject: "Pesanan dikirim", Body: "Resi JNE 123.", Kind: "order_shipped", Ref: "o1"})
	s := &notify.Sender{DB: db, SMTP: notify.SMTP{Addr: sink.ln.Addr().String(), From: "no-reply@sentrakreasi.id"}, Now: time.Now}
	for i := 0; i < 2; i++ {
		if _, err := s.SendPending(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if sink.count() != 2 {
		t.Fatalf("the sink received %d messages, want 2", sink.count())
	}
	if !strings.Contains(sink.msgs[0], "Subject: Pesanan diterima") || !strings.Contains(sink.msgs[0], "Terima kasih.") {
		t.Fatalf("message as sent: %q", sink.msgs[0])
	}
}

func TestOutboxKeepsMessagesWithoutSMTP(t *testing.T) {
	db := storagetest.DB(t)
	queue(t, db, notify.Message{To: "budi@contoh.id", Subject: "Pesanan diterima", Body: "Tautan pesanan.", Kind: "order_received", Ref: "g2"})
	s := &notify.Sender{DB: db, Now: time.Now}
	if n, err := s.SendPending(context.Background()); err != nil || n != 0 {
		t.Fatalf("without SMTP: sent %d, %v", n, err)
	}
	outbox := &notify.Outbox{DB: db, Now: time.Now}
	kept, err := outbox.Kept(context.Background(), access.Actor{UserID: "a", Role: access.Admin}, 10)
	if err != nil || len(kept) != 1 || kept[0].Body != "Tautan pesanan." || kept[0].Status != "kept" {
		t.Fatalf("kept: %+v %v", kept, err)
	}
	if _, err := outbox.Kept(context.Background(), access.Actor{UserID: "s", Role: access.Staff}, 10); !errors.Is(err, domain.ErrForbidden) {
		t.Fatalf("staff reading the outbox: %v", err)
	}
}
