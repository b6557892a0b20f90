package app

import (
	"encoding/base64"
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/sentrakreasi/atensi/catalog"
	"github.com/sentrakreasi/atensi/domain"
	"github.com/sentrakreasi/atensi/orders"
	"github.com/sentrakreasi/atensi/payouts"
)

// Config is everything the process reads from its environment. Every value
// has a default that works on a developer's machine (CONTRACT.md).
type Config struct {
	Env             string // development | test | production
	DatabaseURL     string
	HTTPAddr        string
	MetricsAddr     string // GET /metrics listens here, never on HTTPAddr (CONTRACT.md)
	BaseURL         string
	S3Endpoint      string
	S3AccessKey     string
	S3SecretKey     string
	S3Bucket        string
	S3UseSSL        bool
	StripeSecretKey string
	StripeWebhook   string
	StripeAPIURL    string
	DataKey         []byte   // 32 bytes: the current key that seals fields and derives the others
	OldDataKeys     [][]byte // DATA_KEYS_OLD: retired keys still read until rotate-keys re-seals their rows
	TrustedProxies  []string // TRUSTED_PROXIES: CIDRs whose X-Forwarded-For names the client
	// MediaBaseURL is where browsers load product photos: empty for the
	// app's own /media, linked by relative URL so photos load whatever host
	// the site is opened by; or a CDN in front of the bucket (the CSP then
	// allows its origin).
	MediaBaseURL    string
	ShutdownTimeout time.Duration
	// SMTP sends the outbox; an empty SMTPAddr keeps messages to be read.
	SMTPAddr, SMTPFrom, SMTPUser, SMTPPassword string
	// SearchCacheTTL is how long public search answers are reused; 0 turns
	// the cache off (benchmarks use it to measure the database path).
	SearchCacheTTL time.Duration
	// DatabaseReplicaURL, when set, is a streaming replica that answers the
	// public catalog reads (search, browse, product pages).
	DatabaseReplicaURL string
	// PayoutReceiptDays is how long a payout paid to an LKS or guardian may
	// wait for the PM's receipt before staff see it flagged.
	PayoutReceiptDays int
	// PayoutCashProofOverIDR: a payout line paid in cash above it needs a
	// proof photo or a second person (0: every cash line).
	PayoutCashProofOverIDR domain.IDR
	// Checkout bounds unpaid checkouts per client address and buyer email,
	// and how many of one product a checkout may take.
	Checkout orders.Limits
	// ImageWorkers is how many photos an instance processes at once.
	ImageWorkers int
	LogLevel     string
}

// devDataKey only ever protects demo data: LoadConfig refuses it in
// production, and under APP_ENV=test outside go test, so a real deployment
// cannot start with a key that is public.
const devDataKey = "ZGV2LW9ubHktZGF0YS1rZXktbm90LWZvci1wcm9kISE="

// LoadConfig reads the configuration through getenv (os.Getenv in main,
// a map in tests). A bad value is an error that names the variable.
func LoadConfig(getenv func(string) string) (Config, error) {
	get := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Env:             get("APP_ENV", "development"),
		DatabaseURL:     get("DATABASE_URL", "postgres://atensi:atensi@127.0.0.1:5432/atensi?sslmode=disable"),
		HTTPAddr:        get("HTTP_ADDR", ":8080"),
		MetricsAddr:     get("METRICS_ADDR", "127.0.0.1:9091"),
		BaseURL:         get("BASE_URL", "http://localhost:8080"),
		S3Endpoint:      get("S3_ENDPOINT", "127.0.0.1:9000"),
		S3AccessKey:     get("S3_ACCESS_KEY", "minioadmin"),
		S3SecretKey:     get("S3_SECRET_KEY", "minioadmin"),
		S3Bucket:        get("S3_BUCKET", "atensi"),
		StripeSecretKey: get("STRIPE_SECRET_KEY", ""),
		StripeWebhook:   get("STRIPE_WEBHOOK_SECRET", ""),
		StripeAPIURL:    get("STRIPE_API_URL", ""),
		LogLevel:        get("LOG_LEVEL", "info"),
		SMTPAddr:        get("SMTP_ADDR", ""),
		SMTPFrom:        get("SMTP_FROM", "Sentra Kreasi ATENSI <no-reply@sentrakreasi.id>"),
		SMTPUser:        get("SMTP_USERNAME", ""),
		SMTPPassword:    get("SMTP_PASSWORD", ""),
	}
	var errs []string
	bad := func(name, format string, args ...any) {
		errs = append(errs, name+": "+fmt.Sprintf(format, args...))
	}

	switch c.Env {
	case "development", "test", "production":
	default:
		bad("APP_ENV", "must be development, test or production, got %q", c.Env)
	}
	if _, err := pgxpool.ParseConfig(c.DatabaseURL); err != nil {
		bad("DATABASE_URL", "not a valid PostgreSQL URL (%v)", unwrapParse(err))
	}
	c.DatabaseReplicaURL = get("DATABASE_REPLICA_URL", "")
	if _, err := pgxpool.ParseConfig(c.DatabaseReplicaURL); c.DatabaseReplicaURL != "" && err != nil {
		bad("DATABASE_REPLICA_URL", "not a valid PostgreSQL URL (%v)", unwrapParse(err))
	}
	if _, _, err := splitHostPort(c.HTTPAddr); err != nil {
		bad("HTTP_ADDR", "want host:port such as :8080, got %q", c.HTTPAddr)
	}
	if _, _, err := splitHostPort(c.MetricsAddr); err != nil {
		bad("METRICS_ADDR", "want host:port such as 127.0.0.1:9091, got %q", c.MetricsAddr)
	} else if c.MetricsAddr == c.HTTPAddr {
		bad("METRICS_ADDR", "must differ from HTTP_ADDR: metrics are never served on the public address")
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		bad("BASE_URL", "want an absolute http(s) URL, got %q", c.BaseURL)
	} else {
		c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	}
	if c.SMTPAddr != "" {
		if _, _, err := splitHostPort(c.SMTPAddr); err != nil {
			bad("SMTP_ADDR", "want host:port such as smtp.example.id:587, got %q", c.SMTPAddr)
		}
	}
	c.MediaBaseURL = strings.TrimRight(get("MEDIA_BASE_URL", ""), "/")
	if u, err := url.Parse(c.MediaBaseURL); c.MediaBaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		bad("MEDIA_BASE_URL", "want an absolute http(s) URL, got %q", c.MediaBaseURL)
	}
	if strings.Contains(c.S3Endpoint, "://") {
		bad("S3_ENDPOINT", "want host:port without a scheme (set S3_USE_SSL for https), got %q", c.S3Endpoint)
	}
	if v := getenv("S3_USE_SSL"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad("S3_USE_SSL", "want true or false, got %q", v)
		}
		c.S3UseSSL = b
	}
	if c.StripeAPIURL != "" {
		if u, err := url.Parse(c.StripeAPIURL); err != nil || u.Host == "" {
			bad("STRIPE_API_URL", "want an absolute URL such as http://127.0.0.1:12111, got %q", c.StripeAPIURL)
		}
	}
	if c.StripeSecretKey != "" && c.StripeWebhook == "" && c.Env == "production" {
		bad("STRIPE_WEBHOOK_SECRET", "required when STRIPE_SECRET_KEY is set")
	}

	key := get("DATA_KEY", "")
	switch {
	case key == "" && c.Env == "production":
		bad("DATA_KEY", "required outside development: base64 of 32 random bytes (openssl rand -base64 32)")
	case (key == "" || key == devDataKey) && c.Env == "production":
		bad("DATA_KEY", "the development key must not be used in production")
	case (key == "" || key == devDataKey) && c.Env == "test" && !testing.Testing():
		// APP_ENV=test is for go test; a test deployment reachable by
		// others must not seal real-looking data with a public key.
		bad("DATA_KEY", "APP_ENV=test uses the public development key only under go test; set a key of its own")
	}
	if key == "" {
		key = devDataKey
	}
	if raw, err := base64.StdEncoding.DecodeString(key); err != nil || len(raw) != 32 {
		bad("DATA_KEY", "must be base64 of exactly 32 bytes")
	} else {
		c.DataKey = raw
	}
	if v := get("DATA_KEYS_OLD", ""); v != "" {
		for i, k := range strings.Split(v, ",") {
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(k))
			if err != nil || len(raw) != 32 {
				bad("DATA_KEYS_OLD", "key %d: must be base64 of exactly 32 bytes, keys separated by commas", i+1)
				continue
			}
			c.OldDataKeys = append(c.OldDataKeys, raw)
		}
	}
	if c.Env == "production" && (c.S3AccessKey == "minioadmin" || c.S3SecretKey == "minioadmin") {
		bad("S3_ACCESS_KEY", "the default MinIO credentials (minioadmin) must not be used in production; set S3_ACCESS_KEY and S3_SECRET_KEY")
	}
	if v := get("TRUSTED_PROXIES", ""); v != "" {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if _, err := netip.ParsePrefix(p); err != nil {
				if _, err := netip.ParseAddr(p); err != nil {
					bad("TRUSTED_PROXIES", "want CIDRs or addresses separated by commas such as 10.0.0.0/8,192.0.2.7, got %q", p)
					continue
				}
			}
			c.TrustedProxies = append(c.TrustedProxies, p)
		}
	}

	c.ShutdownTimeout = 20 * time.Second
	if v := getenv("SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad("SHUTDOWN_TIMEOUT", "want a positive duration such as 20s, got %q", v)
		} else {
			c.ShutdownTimeout = d
		}
	}
	c.SearchCacheTTL = 15 * time.Second
	if v := getenv("SEARCH_CACHE_TTL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			bad("SEARCH_CACHE_TTL", "want a duration such as 15s, or 0 to turn the cache off, got %q", v)
		} else {
			c.SearchCacheTTL = d
		}
	}
	c.PayoutReceiptDays = payouts.DefaultSettings.ReceiptDays
	if v := getenv("PAYOUT_RECEIPT_DAYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 365 {
			bad("PAYOUT_RECEIPT_DAYS", "want a whole number of days from 1 to 365, got %q", v)
		} else {
			c.PayoutReceiptDays = n
		}
	}
	c.PayoutCashProofOverIDR = payouts.DefaultSettings.CashProofOverIDR
	if v := getenv("PAYOUT_CASH_PROOF_OVER_IDR"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 1_000_000_000 {
			bad("PAYOUT_CASH_PROOF_OVER_IDR", "want whole rupiah from 0 to 1000000000, got %q", v)
		} else {
			c.PayoutCashProofOverIDR = domain.IDR(n)
		}
	}
	count := func(name string, def, lo, hi int, want string) int {
		v := getenv(name)
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			bad(name, "want %s, got %q", want, v)
			return def
		}
		return n
	}
	c.Checkout.UnpaidPerIP = count("CHECKOUT_MAX_UNPAID_PER_IP", orders.DefaultLimits.UnpaidPerIP, 0, 10_000, "a whole number from 0 (no limit) to 10000")
	c.Checkout.UnpaidPerEmail = count("CHECKOUT_MAX_UNPAID_PER_EMAIL", orders.DefaultLimits.UnpaidPerEmail, 0, 1000, "a whole number from 0 (no limit) to 1000")
	c.Checkout.PerProduct = count("CHECKOUT_MAX_PER_PRODUCT", orders.DefaultLimits.PerProduct, 1, 100, "a whole number from 1 to 100")
	c.Checkout.TransferWindow = time.Duration(count("BANK_TRANSFER_HOURS", int(orders.DefaultTransferWindow/time.Hour), 1, 168,
		"a whole number of hours from 1 to 168")) * time.Hour
	c.ImageWorkers = count("IMAGE_WORKERS", catalog.DefaultImageWorkers, 1, 64, "a whole number from 1 to 64")
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		bad("LOG_LEVEL", "must be debug, info, warn or error, got %q", c.LogLevel)
	}

	if len(errs) > 0 {
		return c, fmt.Errorf("configuration: %s", strings.Join(errs, "; "))
	}
	return c, nil
}

func splitHostPort(addr string) (string, int, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", 0, fmt.Errorf("no port")
	}
	port, err := strconv.Atoi(addr[i+1:])
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("bad port")
	}
	return addr[:i], port, nil
}

// unwrapParse keeps pgx's message but drops the echoed URL, which may carry a password.
func unwrapParse(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		return msg[i+2:]
	}
	return msg
}

// mediaPrefix starts the photos' URLs: MEDIA_BASE_URL, or /media on this site.
func (c Config) mediaPrefix() string {
	if c.MediaBaseURL == "" {
		return "/media"
	}
	return c.MediaBaseURL
}
