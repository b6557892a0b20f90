package app

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/orders"
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
		{map[string]string{"PAYOUT_CASH_PROOF_OVER_IDR": "-1"}, "PAYOUT_CASH_PROOF_OVER_IDR"},
		{map[string]string{"PAYOUT_CASH_PROOF_OVER_IDR": "Rp1.000.000"}, "PAYOUT_CASH_PROOF_OVER_IDR"},
		{map[string]string{"METRICS_ADDR": "9091"}, "METRICS_ADDR"},
		{map[string]string{"DATA_KEYS_OLD": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=,c2hvcnQ="}, "DATA_KEYS_OLD"},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, "TRUSTED_PROXIES"},
		{map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}, "TRUSTED_PROXIES"},
		{map[string]string{"CHECKOUT_MAX_UNPAID_PER_IP": "-1"}, "CHECKOUT_MAX_UNPAID_PER_IP"},
		{map[string]string{"CHECKOUT_MAX_UNPAID_PER_EMAIL": "tiga"}, "CHECKOUT_MAX_UNPAID_PER_EMAIL"},
		{map[string]string{"CHECKOUT_MAX_PER_PRODUCT": "0"}, "CHECKOUT_MAX_PER_PRODUCT"},
		{map[string]string{"CHECKOUT_MAX_PER_PRODUCT": "101"}, "CHECKOUT_MAX_PER_PRODUCT"},
		{map[string]string{"BANK_TRANSFER_HOURS": "0"}, "BANK_TRANSFER_HOURS"},
		{map[string]string{"BANK_TRANSFER_HOURS": "1.5"}, "BANK_TRANSFER_HOURS"},
		{map[string]string{"IMAGE_WORKERS": "0"}, "IMAGE_WORKERS"},
	}
	for _, tt := range tests {
		_, err := LoadConfig(func(k string) string { return tt.env[k] })
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("LoadConfig(%v) = %v, want an error naming %s", tt.env, err, tt.want)
		}
	}
}

func TestLoadConfigCashProofThreshold(t *testing.T) {
	cfg, err := LoadConfig(func(k string) string { return map[string]string{"PAYOUT_CASH_PROOF_OVER_IDR": "250000"}[k] })
	if err != nil || cfg.PayoutCashProofOverIDR != 250000 {
		t.Fatalf("PAYOUT_CASH_PROOF_OVER_IDR=250000: %d %v", cfg.PayoutCashProofOverIDR, err)
	}
	if cfg, _ := LoadConfig(func(string) string { return "" }); cfg.PayoutCashProofOverIDR != 1_000_000 {
		t.Fatalf("default threshold %d, want 1000000", cfg.PayoutCashProofOverIDR)
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
	env := map[string]string{"APP_ENV": "production", "DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"S3_ACCESS_KEY": "atensi-prod", "S3_SECRET_KEY": "a-long-secret-of-its-own"}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil || string(cfg.DataKey) != "0123456789abcdef0123456789abcdef" {
		t.Fatalf("LoadConfig = %v (key %q)", err, cfg.DataKey)
	}
	env["DATA_KEY"] = devDataKey
	if _, err := LoadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatal("the public development key must be refused in production")
	}
}

func TestLoadConfigProductionRefusesDefaultMinIOCredentials(t *testing.T) {
	env := map[string]string{"APP_ENV": "production", "DATA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
		"S3_ACCESS_KEY": "atensi-prod", "S3_SECRET_KEY": "a-long-secret-of-its-own"}
	if _, err := LoadConfig(func(k string) string { return env[k] }); err != nil {
		t.Fatalf("production with credentials of its own: %v", err)
	}
	for _, name := range []string{"S3_ACCESS_KEY", "S3_SECRET_KEY"} {
		prod := maps.Clone(env)
		delete(prod, name) // the default, minioadmin
		if _, err := LoadConfig(func(k string) string { return prod[k] }); err == nil || !strings.Contains(err.Error(), "minioadmin") {
			t.Errorf("production without %s: %v, want the default MinIO credentials refused", name, err)
		}
		prod[name] = "minioadmin"
		if _, err := LoadConfig(func(k string) string { return prod[k] }); err == nil {
			t.Errorf("production with %s=minioadmin must be refused", name)
		}
	}
	// Development keeps its working default.
	if _, err := LoadConfig(func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
}

func TestLoadConfigOldKeysAndTrustedProxies(t *testing.T) {
	env := map[string]string{
		"DATA_KEYS_OLD":   "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=, QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo0NTY3ODk=",
		"TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7,2001:db8::/32",
	}
	cfg, err := LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.OldDataKeys) != 2 || string(cfg.OldDataKeys[0]) != "0123456789abcdef0123456789abcdef" || string(cfg.OldDataKeys[1]) != "ABCDEFGHIJKLMNOPQRSTUVWXYZ456789" {
		t.Errorf("DATA_KEYS_OLD = %q", cfg.OldDataKeys)
	}
	if !slices.Equal(cfg.TrustedProxies, []string{"10.0.0.0/8", "192.0.2.7", "2001:db8::/32"}) {
		t.Errorf("TRUSTED_PROXIES = %q", cfg.TrustedProxies)
	}
	// Under go test, APP_ENV=test may use the development key; the binary
	// outside tests may not (TestCommandRejectsBadConfiguration).
	if _, err := LoadConfig(func(k string) string { return map[string]string{"APP_ENV": "test"}[k] }); err != nil {
		t.Fatalf("APP_ENV=test under go test: %v", err)
	}
}

func TestLoadConfigCheckoutLimitsAndImageWorkers(t *testing.T) {
	cfg, err := LoadConfig(func(string) string { return "" })
	if err != nil || cfg.Checkout != orders.DefaultLimits || cfg.ImageWorkers != catalog.DefaultImageWorkers {
		t.Fatalf("defaults: %+v %d %v", cfg.Checkout, cfg.ImageWorkers, err)
	}
	env := map[string]string{"CHECKOUT_MAX_UNPAID_PER_IP": "0", "CHECKOUT_MAX_UNPAID_PER_EMAIL": "5", "CHECKOUT_MAX_PER_PRODUCT": "12", "IMAGE_WORKERS": "4",
		"BANK_TRANSFER_HOURS": "48"}
	cfg, err = LoadConfig(func(k string) string { return env[k] })
	want := orders.Limits{UnpaidPerIP: 0, UnpaidPerEmail: 5, PerProduct: 12, TransferWindow: 48 * time.Hour}
	if err != nil || cfg.Checkout != want || cfg.ImageWorkers != 4 {
		t.Fatalf("set: %+v %d %v, want %+v and 4", cfg.Checkout, cfg.ImageWorkers, err, want)
	}
}
