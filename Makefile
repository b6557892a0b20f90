# The two commands of the README:
#   make run    services up, migrations, demo data, serve on http://localhost:8080
#   make test   services and browser tools up, then the whole suite (format, vet,
#               staticcheck, tests with -race, browser checks in Chromium)
SHELL := /bin/bash
TOOLS := $(CURDIR)/.tools/bin
STATICCHECK_VERSION := v0.8.2
GO_TEST_FLAGS ?= -race -count=1 -timeout 20m

.PHONY: run test services services-down browser check bench

run: services
	go run . migrate
	go run . seed --demo
	go run . serve

# The browser checks run on their own, without the race detector: they drive
# Chromium against the served app for minutes, and under -race the server
# alone took most of the package's time budget. The race detector covers the
# same code in every other test.
test: services browser check
	go test $(GO_TEST_FLAGS) -skip '^TestBrowserPages$$' ./...
	go test -count=1 -timeout 20m -run '^TestBrowserPages$$' ./app

services:
	@scripts/services.sh up

services-down:
	@scripts/services.sh down

browser:
	@scripts/browser.sh setup

check: $(TOOLS)/staticcheck
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
	$(TOOLS)/staticcheck ./...

$(TOOLS)/staticcheck:
	GOBIN=$(TOOLS) go install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

bench: services
	scripts/bench.sh
