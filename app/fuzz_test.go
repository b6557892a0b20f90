package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/sentrakreasi/atensi/storage"
	"github.com/sentrakreasi/atensi/storage/storagetest"
)

// TestHostileRequestsGetNo5xx sends random and boundary requests to every
// operation of api/openapi.yaml, as every actor of the authorization world:
// bodies shaped by the operation's schema and then broken one field at a
// time, wrong types, malformed JSON, odd query strings, path parameters and
// headers. No answer may be a 5xx or carry a stack trace. FUZZ_REQUESTS sets
// the budget (CI's default is small) and FUZZ_SEED the sequence, so a
// failure can be replayed.
func TestHostileRequestsGetNo5xx(t *testing.T) {
	budget := envInt(t, "FUZZ_REQUESTS", 5000)
	seed := uint64(envInt(t, "FUZZ_SEED", 20261208))
	// The app logs what went wrong behind a 500; the test shows it.
	logs := &lockedBuffer{}
	clock := newTestClock()
	a, err := New(testConfig(t), slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelError})),
		storagetest.DB(t), bucket(t), WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	w := newWorldOn(t, a, clock)
	f := newFuzzer(t, w, seed)
	f.logs = logs
	sent := 0
	for sent < budget {
		for _, op := range f.ops {
			if sent >= budget {
				break
			}
			f.send(t, op)
			sent++
		}
	}
	t.Logf("sent %d hostile requests over %d operations (FUZZ_SEED=%d); answers by status: %v", sent, len(f.ops), seed, f.statuses)
	if t.Failed() {
		t.Logf("replay with FUZZ_SEED=%d FUZZ_REQUESTS=%d", seed, budget)
	}
}

// lockedBuffer keeps the app's log lines for the test to read.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines are the logged lines that name requestID.
func (b *lockedBuffer) lines(requestID string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range strings.Split(b.buf.String(), "\n") {
		if requestID != "" && strings.Contains(l, requestID) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func bucket(t *testing.T) *storage.Objects {
	objects, _ := storagetest.Objects(t)
	return objects
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return n
}

// fuzzOp is one operation of the OpenAPI file, with what the fuzzer needs
// to build requests for it.
type fuzzOp struct {
	method, path string
	params       []map[string]any // resolved parameter objects
	body         map[string]any   // JSON schema of the body, or nil
	seed         string           // a valid body from the authorization table, if any
	seedPath     string           // that row's concrete path template
}

type fuzzer struct {
	w    *world
	rng  *rand.Rand
	doc  map[string]any
	ops  []fuzzOp
	ids  []string
	seen map[string]bool
	logs *lockedBuffer
	// statuses counts the answers by status, to show what the run reached.
	statuses map[int]int
}

func newFuzzer(t *testing.T, w *world, seed uint64) *fuzzer {
	t.Helper()
	raw, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	f := &fuzzer{w: w, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), seen: map[string]bool{}, statuses: map[int]int{}}
	if err := yaml.Unmarshal(raw, &f.doc); err != nil {
		t.Fatal(err)
	}
	seeds := map[string]route{}
	for _, r := range authzTable {
		seeds[r.method+" "+canonical(r.path)] = r
	}
	paths, _ := f.doc["paths"].(map[string]any)
	for path, item := range paths {
		ops, _ := item.(map[string]any)
		for _, method := range openAPIMethods {
			o, ok := ops[method].(map[string]any)
			if !ok || skipFuzz[strings.ToUpper(method)+" "+path] {
				continue
			}
			op := fuzzOp{method: strings.ToUpper(method), path: path}
			for _, p := range append(asList(ops["parameters"]), asList(o["parameters"])...) {
				op.params = append(op.params, f.resolve(p))
			}
			if rb, ok := f.resolve(o["requestBody"])["content"].(map[string]any); ok {
				if js, ok := rb["application/json"].(map[string]any); ok {
					op.body = f.resolve(js["schema"])
				}
			}
			if r, ok := seeds[op.method+" "+canonical(path)]; ok {
				op.seed, op.seedPath = r.body, r.path
			}
			f.ops = append(f.ops, op)
		}
	}
	sort.Slice(f.ops, func(i, j int) bool { return f.ops[i].method+f.ops[i].path < f.ops[j].method+f.ops[j].path })
	for _, v := range w.ids {
		f.ids = append(f.ids, v)
	}
	sort.Strings(f.ids)
	return f
}

// skipFuzz are operations that would end the world's sessions (logout,
// password change) and so blind the rest of the run; the authorization
// table covers them.
var skipFuzz = map[string]bool{
	"POST /api/v1/auth/logout":   true,
	"POST /api/v1/auth/password": true,
}

func asList(v any) []any { l, _ := v.([]any); return l }

// resolve follows a $ref to the component it names.
func (f *fuzzer) resolve(v any) map[string]any {
	m, _ := v.(map[string]any)
	for i := 0; m != nil && i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		var node any = f.doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			node = node.(map[string]any)[part]
		}
		m, _ = node.(map[string]any)
	}
	return m
}

func (f *fuzzer) pick(options ...string) string { return options[f.rng.IntN(len(options))] }

// hostileStrings are values that have broken parsers and queries elsewhere.
var hostileStrings = []string{
	"", " ", "0", "-1", "1e400", "9223372036854775808", "null", "true", "[]", "{}", "%00", "\x00", "\r\nX-Injected: 1",
	"' OR 1=1 --", "../../etc/passwd", "<script>alert(1)</script>", "ééé", "😀", strings.Repeat("a", 1000),
	"2026-13", "0000-00", "9999-12", "//evil.example", "\\\\evil", "%ZZ", "${jndi}", "\u202e", "NaN",
}

// value makes a value for schema, valid in shape but random in content; a
// value off the schema now and then.
func (f *fuzzer) value(schema map[string]any, depth int) any {
	schema = f.resolve(schema)
	if schema == nil || depth > 6 {
		return f.wild(depth)
	}
	if f.rng.IntN(12) == 0 {
		return f.wild(depth)
	}
	for _, key := range []string{"oneOf", "anyOf", "allOf"} {
		if alts := asList(schema[key]); len(alts) > 0 {
			return f.value(f.resolve(alts[f.rng.IntN(len(alts))]), depth+1)
		}
	}
	if enum := asList(schema["enum"]); len(enum) > 0 {
		return enum[f.rng.IntN(len(enum))]
	}
	typ, _ := schema["type"].(string)
	if l := asList(schema["type"]); len(l) > 0 {
		typ, _ = l[0].(string)
	}
	switch typ {
	case "object":
		out := map[string]any{}
		props, _ := schema["properties"].(map[string]any)
		for name, p := range props {
			if f.rng.IntN(5) != 0 {
				out[name] = f.value(f.resolve(p), depth+1)
			}
		}
		if f.rng.IntN(8) == 0 {
			out["unknown_field"] = f.wild(depth + 1)
		}
		return out
	case "array":
		n := f.rng.IntN(4)
		if f.rng.IntN(10) == 0 {
			n = 200
		}
		out := make([]any, n)
		for i := range out {
			out[i] = f.value(f.resolve(schema["items"]), depth+1)
		}
		return out
	case "integer", "number":
		return []any{0, 1, -1, 25000, 100, 101, -9223372036854775807, 9223372036854775807, 1.5, 1e300}[f.rng.IntN(10)]
	case "boolean":
		return f.rng.IntN(2) == 0
	}
	if f.rng.IntN(3) == 0 && len(f.ids) > 0 {
		return f.ids[f.rng.IntN(len(f.ids))]
	}
	return hostileStrings[f.rng.IntN(len(hostileStrings))]
}

// wild is any JSON value at all.
func (f *fuzzer) wild(depth int) any {
	switch f.rng.IntN(7) {
	case 0:
		return nil
	case 1:
		return f.rng.IntN(2) == 0
	case 2:
		return f.rng.Int64() - f.rng.Int64()
	case 3:
		if depth > 4 {
			return []any{}
		}
		return []any{f.wild(depth + 1), f.wild(depth + 1)}
	case 4:
		if depth > 4 {
			return map[string]any{}
		}
		return map[string]any{"a": f.wild(depth + 1)}
	default:
		return hostileStrings[f.rng.IntN(len(hostileStrings))]
	}
}

// body makes a request body for op: the table's valid body with one field
// broken, a schema-shaped body, or bytes that are not JSON at all.
func (f *fuzzer) body(op fuzzOp, n int) string {
	switch k := f.rng.IntN(10); {
	case k < 4 && op.seed != "":
		var m map[string]any
		if json.Unmarshal([]byte(f.w.expand(op.seed, n)), &m) == nil && len(m) > 0 {
			keys := make([]string, 0, len(m))
			for key := range m {
				keys = append(keys, key)
			}
			sort.Strings(keys)
			key := keys[f.rng.IntN(len(keys))]
			if f.rng.IntN(4) == 0 {
				delete(m, key)
			} else {
				m[key] = f.wild(0)
			}
			b, _ := json.Marshal(m)
			return string(b)
		}
		return f.w.expand(op.seed, n)
	case k < 8 && op.body != nil:
		b, _ := json.Marshal(f.value(op.body, 0))
		return string(b)
	default:
		return f.pick(`{`, `{"a":`, `[1,2`, `"x"`, `null`, `[]`, `{}`, `nul`, "\x00\x01", `{"a":1}{"b":2}`,
			strings.Repeat("[", 10000), `{"items":[{"product_id":1e999}]}`, `{"a":"\ud800"}`, "")
	}
}

// concretePath fills the operation's path parameters: mostly ids of the
// world (the table's own choice when it has one), sometimes garbage.
func (f *fuzzer) concretePath(op fuzzOp, n int) string {
	tmpl := op.path
	if op.seedPath != "" && f.rng.IntN(2) == 0 {
		return f.w.expand(strings.SplitN(op.seedPath, "?", 2)[0], n)
	}
	return templateParam.ReplaceAllStringFunc(tmpl, func(string) string {
		switch f.rng.IntN(4) {
		case 0:
			return urlEscape(hostileStrings[f.rng.IntN(len(hostileStrings))])
		default:
			return f.ids[f.rng.IntN(len(f.ids))]
		}
	})
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	if b.Len() == 0 {
		return "%20"
	}
	return b.String()
}

// send builds one hostile request for op, sends it as a random actor and
// checks the answer.
func (f *fuzzer) send(t *testing.T, op fuzzOp) {
	t.Helper()
	n := 100000 + f.rng.IntN(900000)
	path := f.concretePath(op, n)
	var query []string
	for _, p := range op.params {
		name, _ := p["name"].(string)
		if p["in"] == "query" && f.rng.IntN(2) == 0 {
			v := f.value(f.resolve(p["schema"]), 0)
			query = append(query, urlEscape(name)+"="+urlEscape(fmt.Sprint(v)))
		}
	}
	if f.rng.IntN(6) == 0 {
		query = append(query, f.pick("limit=-1", "limit=0", "limit=101", "limit=abc", "cursor=%FF%FE", "cursor="+strings.Repeat("A", 1000),
			"sort=bogus", "from=2026-99", "to=1-1", "q="+strings.Repeat("keripik+", 300), "limit=1&limit=2"))
	}
	if len(query) > 0 {
		path += "?" + strings.Join(query, "&")
	}
	var body io.Reader
	var sentBody string
	if op.method != http.MethodGet && op.method != http.MethodDelete {
		sentBody = f.body(op, n)
		body = strings.NewReader(sentBody)
	}
	req := httptest.NewRequest(op.method, "/", body)
	req.URL.RawQuery = ""
	req.RequestURI = path
	req.URL, _ = req.URL.Parse(path)
	if req.URL == nil {
		return
	}
	req.Header.Set("Content-Type", f.pick("application/json", "application/json", "application/json", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data"))
	actor := actors[f.rng.IntN(len(actors))]
	if tok := f.w.tokens[actor]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	} else if f.rng.IntN(4) == 0 {
		req.Header.Set("Authorization", f.pick("Bearer ", "Bearer x", "Basic YTpi", "Bearer "+strings.Repeat("z", 1000)))
	}
	if f.rng.IntN(3) == 0 {
		req.Header.Set("Idempotency-Key", f.pick("k", "short-key", strings.Repeat("k", 16), strings.Repeat("k", 201), "ключ-идемпотентности", fmt.Sprint("fuzz-key-", n)))
	}
	if f.rng.IntN(3) == 0 {
		req.Header.Set("Accept-Language", f.pick("en", "id", "en-US,en;q=0.9", "xx", "*", ";;;", "en;q=abc"))
	}
	for _, p := range op.params {
		if name, _ := p["name"].(string); p["in"] == "header" && name != "Idempotency-Key" && f.rng.IntN(2) == 0 {
			req.Header.Set(name, f.pick("", "x", strings.Repeat("t", 300), f.ids[f.rng.IntN(len(f.ids))]))
		}
	}
	resp, err := f.w.a.HTTP().Test(req, -1)
	if err != nil {
		t.Errorf("%s %s as %s: %v", op.method, path, actor, err)
		return
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	f.statuses[resp.StatusCode]++
	key := fmt.Sprint(op.method, " ", op.path, " ", resp.StatusCode)
	if resp.StatusCode >= 500 && !f.seen[key] {
		f.seen[key] = true
		t.Errorf("%s %s as %s = %d: %.300s\nbody: %.300q\nlog: %s", op.method, path, actor, resp.StatusCode, b, sentBody, f.logs.lines(resp.Header.Get("X-Request-Id")))
	}
	for _, trace := range [][]byte{[]byte("goroutine "), []byte(".go:"), []byte("runtime error"), []byte("panic:")} {
		if bytes.Contains(b, trace) && !f.seen[key+" trace"] {
			f.seen[key+" trace"] = true
			t.Errorf("%s %s as %s: answer looks like a stack trace: %.300s", op.method, path, actor, b)
		}
	}
}
