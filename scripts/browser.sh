#!/usr/bin/env bash
# Browser checks' tools: Debian's Chromium and the npm packages that drive
# it (playwright-core) and audit pages (axe-core).
#   scripts/browser.sh setup   install what is missing (idempotent, quiet when done)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
say() { printf '[browser] %s\n' "$*" >&2; }

case "${1:-}" in
setup)
	if [[ ! -x /usr/bin/chromium ]]; then
		[[ $(id -u) == 0 ]] || { say "ERROR: chromium is missing; install the Debian package chromium"; exit 1; }
		say "installing Chromium from Debian packages"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
	fi
	command -v npm >/dev/null || { say "ERROR: npm is missing; install Node.js"; exit 1; }
	stamp=node_modules/.package-lock.json
	if [[ ! -f $stamp || package-lock.json -nt $stamp ]]; then
		say "installing npm packages"
		npm ci --no-audit --no-fund --loglevel=error
	fi
	;;
*)
	echo "usage: $0 setup" >&2
	exit 2
	;;
esac
