package app

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// openAPIFile is the API description kept next to the code.
const openAPIFile = "../api/openapi.yaml"

// openAPIDoc is the part of the OpenAPI file the test reads.
type openAPIDoc struct {
	OpenAPI    string                          `yaml:"openapi"`
	Paths      map[string]map[string]yaml.Node `yaml:"paths"`
	Components struct {
		Parameters map[string]openAPIParameter `yaml:"parameters"`
	} `yaml:"components"`
}

type openAPIOperation struct {
	OperationID string               `yaml:"operationId"`
	Summary     string               `yaml:"summary"`
	Parameters  []openAPIParameter   `yaml:"parameters"`
	Responses   map[string]yaml.Node `yaml:"responses"`
}

type openAPIParameter struct {
	Ref      string `yaml:"$ref"`
	Name     string `yaml:"name"`
	In       string `yaml:"in"`
	Required bool   `yaml:"required"`
}

// openAPIMethods are the operation keys of a path item.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// documented says whether a route belongs in the OpenAPI file: the JSON API,
// the Stripe webhook and the operational endpoints, not the HTML pages,
// /media/... or static assets.
func documented(path string) bool {
	switch path {
	case "/webhooks/stripe", "/healthz", "/readyz":
		return true
	}
	return strings.HasPrefix(path, "/api/")
}

var fiberParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// openAPIPath turns a Fiber route path into an OpenAPI path template:
// "/payout-batches/:id.csv" becomes "/payout-batches/{id}.csv". (canonical
// erases the parameter names, which the file must get right.)
func openAPIPath(fiberPath string) string {
	return fiberParam.ReplaceAllString(fiberPath, "{$1}")
}

var (
	templateParam = regexp.MustCompile(`\{([^}]*)\}`)
	statusKey     = regexp.MustCompile(`^([1-5][0-9][0-9]|[1-5]XX|default)$`)
)

// TestOpenAPIListsEveryAPIRoute keeps api/openapi.yaml complete: every API
// route the server registers is described, the file describes no route the
// server does not have, and every operation has a summary, an operationId,
// at least one response and its path parameters declared.
func TestOpenAPIListsEveryAPIRoute(t *testing.T) {
	raw, err := os.ReadFile(openAPIFile)
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("%s: %v", openAPIFile, err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("%s: openapi = %q, want 3.1.x", openAPIFile, doc.OpenAPI)
	}
	if len(doc.Paths) == 0 {
		t.Fatalf("%s lists no paths", openAPIFile)
	}
	var tree yaml.Node
	if err := yaml.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	for _, ref := range danglingRefs(&tree) {
		t.Errorf("%s: $ref %q points at nothing", openAPIFile, ref)
	}

	// resolve follows a parameter's $ref into components.parameters.
	resolve := func(where string, p openAPIParameter) openAPIParameter {
		if p.Ref == "" {
			return p
		}
		name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/")
		target, found := doc.Components.Parameters[name]
		if !ok || !found {
			t.Errorf("%s: parameter $ref %q does not resolve", where, p.Ref)
		}
		return target
	}

	specified := map[string]bool{}
	operationIDs := map[string]string{}
	for path, item := range doc.Paths {
		if !documented(path) {
			t.Errorf("%s: path %s is outside what the file describes (the API, /webhooks/stripe, /healthz, /readyz)", openAPIFile, path)
		}
		var shared []openAPIParameter
		if node, ok := item["parameters"]; ok {
			if err := node.Decode(&shared); err != nil {
				t.Errorf("%s parameters: %v", path, err)
			}
		}
		operations := 0
		for key, node := range item {
			switch {
			case key == "parameters", key == "summary", key == "description", key == "servers":
				continue
			case !slices.Contains(openAPIMethods, key):
				t.Errorf("%s: unknown key %q in the path item", path, key)
				continue
			}
			operations++
			where := strings.ToUpper(key) + " " + path
			specified[where] = true
			var op openAPIOperation
			if err := node.Decode(&op); err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			if strings.TrimSpace(op.Summary) == "" || strings.Contains(op.Summary, "\n") {
				t.Errorf("%s: needs a one-line summary, has %q", where, op.Summary)
			}
			if len(op.Responses) == 0 {
				t.Errorf("%s: lists no response", where)
			}
			for code := range op.Responses {
				if !statusKey.MatchString(code) {
					t.Errorf("%s: response key %q is not a status code", where, code)
				}
			}
			switch prior, dup := operationIDs[op.OperationID]; {
			case op.OperationID == "":
				t.Errorf("%s: needs an operationId", where)
			case dup:
				t.Errorf("%s: operationId %q is also %s's", where, op.OperationID, prior)
			default:
				operationIDs[op.OperationID] = where
			}

			// The template's {names} and the declared path parameters are the same set.
			inTemplate := map[string]bool{}
			for _, m := range templateParam.FindAllStringSubmatch(path, -1) {
				inTemplate[m[1]] = true
			}
			declared := map[string]bool{}
			for _, p := range append(append([]openAPIParameter(nil), shared...), op.Parameters...) {
				p = resolve(where, p)
				if p.In != "path" {
					continue
				}
				declared[p.Name] = true
				if !inTemplate[p.Name] {
					t.Errorf("%s: declares path parameter %q that the path does not have", where, p.Name)
				}
				if !p.Required {
					t.Errorf("%s: path parameter %q must be required", where, p.Name)
				}
			}
			for name := range inTemplate {
				if !declared[name] {
					t.Errorf("%s: path parameter {%s} is not declared", where, name)
				}
			}
		}
		if operations == 0 {
			t.Errorf("%s: path has no operation", path)
		}
	}

	app := newTestApp(t)
	registered := map[string]bool{}
	for _, rt := range app.HTTP().GetRoutes(true) {
		if rt.Method == http.MethodHead || !documented(rt.Path) {
			continue
		}
		registered[rt.Method+" "+openAPIPath(rt.Path)] = true
	}
	if len(registered) == 0 {
		t.Fatal("the app registers no API route; the comparison would prove nothing")
	}

	var missing, unknown []string
	for key := range registered {
		if !specified[key] {
			missing = append(missing, key)
		}
	}
	for key := range specified {
		if !registered[key] {
			unknown = append(unknown, key)
		}
	}
	sort.Strings(missing)
	sort.Strings(unknown)
	// A route missing and a spec path of the same shape not registered is
	// most likely a parameter named differently from the code's.
	hint := func(key string, others []string) string {
		method, path, _ := strings.Cut(key, " ")
		for _, o := range others {
			if om, op, _ := strings.Cut(o, " "); om == method && canonical(op) == canonical(path) {
				return fmt.Sprintf("  (the other side has %s: do the parameter names match?)", op)
			}
		}
		return ""
	}
	if len(missing) > 0 {
		lines := make([]string, len(missing))
		for i, key := range missing {
			lines[i] = key + hint(key, unknown)
		}
		t.Errorf("routes the server registers that %s does not describe:\n%s", openAPIFile, strings.Join(lines, "\n"))
	}
	if len(unknown) > 0 {
		lines := make([]string, len(unknown))
		for i, key := range unknown {
			lines[i] = key + hint(key, missing)
		}
		t.Errorf("operations in %s that the server does not register:\n%s", openAPIFile, strings.Join(lines, "\n"))
	}
	t.Logf("%d operations described, %d routes registered", len(specified), len(registered))
}

// danglingRefs lists the local $refs of an OpenAPI document that do not
// resolve to a node of the document.
func danglingRefs(tree *yaml.Node) []string {
	if tree.Kind != yaml.DocumentNode || len(tree.Content) != 1 {
		return []string{"(not a single YAML document)"}
	}
	root := tree.Content[0]
	lookup := func(ref string) bool {
		pointer, ok := strings.CutPrefix(ref, "#/")
		if !ok {
			return false // only references inside the file are expected
		}
		n := root
		for _, part := range strings.Split(pointer, "/") {
			part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
			if n.Kind != yaml.MappingNode {
				return false
			}
			var next *yaml.Node
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == part {
					next = n.Content[i+1]
				}
			}
			if next == nil {
				return false
			}
			n = next
		}
		return true
	}
	var bad []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if k, v := n.Content[i], n.Content[i+1]; k.Value == "$ref" && v.Kind == yaml.ScalarNode && !lookup(v.Value) {
					bad = append(bad, v.Value)
				}
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(root)
	sort.Strings(bad)
	return slices.Compact(bad)
}
