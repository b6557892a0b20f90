package app

import (
	"strings"
	"testing"
)

func TestLoadConfigDefaultsWork(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatalf("defaults must load: %v", err)
	}
	if cfg.HTTPAddr != ":8080" || cfg.S3Endpoint != "127.0.0.1:9000" || len(cfg.DataKey) != 32 || cfg.StripeSecretKey != "" {
		t.Fatalf("unexpected defaults: %+v", cfg)
	}
}

func TestLoadConfigNamesTheBadVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"DATABASE_URL": "postgres://a:b@host:notaport/db"}, "DATABASE_URL"},
		{map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL"},
		{map[string]string{"DATABASE_REPLICA_URL": "postgres://a:b@host:notaport/db"}, "DATABASE_REPLICA_URL"},
		{map[string]string{"DATA_KEY": "not base64!"}, "DATA_KEY"},
		{map[string]string{"DATA_KEY": "c2hvcnQ="}, "DATA_KEY"},
		{map[string]string{"APP_ENV": "production"}, "DATA_KEY"},
		{map[string]string{"APP_ENV": "staging"}, "APP_ENV"},
		{map[string]string{"HTTP_ADDR": "8080"}, "HTTP_ADDR"},
		{map[string]string{"BASE_URL": "localhost:8080"}, "BASE_URL"},
		{map[string]string{"S3_ENDPOINT": "http://127.0.0.1:9000"}, "S3_ENDPOINT"},
		{map[string]string{"S3_USE_SSL": "maybe"}, "S3_USE_SSL"},
		{map[string]string{"STRIPE_API_URL": "::"}, "STRIPE_API_URL"},
		{map[string]string{"SHUTDOWN_TIMEOUT": "soon"}, "SHUTDOWN_TIMEOUT"},
		{map[string]string{"LOG_LEVEL": "loud"}, "LOG_LEVEL"},
		{map[string]string{"PAYOUT_RECEIPT_DAYS": "0"}, "PAYOUT_RECEIPT_DAYS"},
		{map[string]string{"PAYOUT_RECEIPT_DAYS": "dua minggu"}, "PAYOUT_RECEIPT_DAYS"},
	}
	for _, tt := range tests {
		_, err := LoadConfig(func(k string) string { return tt.env[k] })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadConfig(%v) = %v, want an error naming %s", tt.env, err, tt.want)
		}
	}
}

func TestLoadConfigDoesNotEchoPasswords(t *testing.T) {
	_, err := LoadConfig(func(k string) string {
		if k == "DATABASE_URL" {
			return "postgres://user:s3cret-pw@host:99999/db"
		}
		return ""
	})
	if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
		t.Fatalf("error %v must reject the URL without showing its password", err)
	}
}

func TestLoadConfigProductionKey(t *testing.T) {
	env := map[string]string{"APP_ENV": "production", "DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil || string(cfg.DataKey) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("LoadConfig = %v (key %q)", err, cfg.DataKey)
	}
	env["DATA_KEY"] = devDataKey
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatal("the public development key must be refused in production")
	}
}
