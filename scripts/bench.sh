#!/usr/bin/env bash
# make bench: the load tests and benchmarks of the issues, on this machine.
# Seeds 100,000 published products (once; PRODUCTS=1000000 for the large
# catalog), serves them, drives browse and search with wrk at 64
# connections, with the search cache on (15 s) and off: the repeating
# browse and search lists, then the long-tail mix of real buyers
# (scripts/bench/longtail: 6,000 distinct API paths and 6,000 pages of
# words, pairs, typos, words nobody sells, every filter and sort, second
# pages and product pages). Reads the server's peak RSS, runs the main
# statements through pgbench as the ceiling, then the Go benchmarks
# (BENCH_GO=0 skips them).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PRODUCTS=${PRODUCTS:-100000}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-64}
DB=atensi_bench
URL="postgres://atensi:atensi@127.0.0.1:5432/$DB?sslmode=disable"
ADDR=${BENCH_ADDR:-127.0.0.1:8090}
OUT=$ROOT/.data/bench
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "installing wrk"; apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
go build -o "$OUT/atensi" .
psql -X -q -h 127.0.0.1 -U atensi -d atensi -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1 ||
	psql -X -q -h 127.0.0.1 -U atensi -d atensi -c "CREATE DATABASE $DB"
echo "== seed --scale $PRODUCTS (skipped when already loaded)"
DATABASE_URL=$URL LOG_LEVEL=warn "$OUT/atensi" migrate
DATABASE_URL=$URL LOG_LEVEL=info "$OUT/atensi" seed --scale "$PRODUCTS" 2>&1 | grep -E '"scale products"|seed (already )?loaded' || true

# URL lists: every category and sort for browsing, many words for search.
: >"$OUT/browse.txt"
for c in makanan minuman kerajinan fesyen cindera_mata lainnya keripik kue_kering sambal kopi jamu batik tas anyaman; do
	for s in newest price_asc price_desc; do
		for p in "" "&province_code=32" "&in_stock=true" "&min_price_idr=20000&max_price_idr=150000"; do
			echo "/api/v1/products?category=$c&sort=$s$p" >>"$OUT/browse.txt"
		done
	done
done
echo "/api/v1/products" >>"$OUT/browse.txt"
: >"$OUT/search.txt"
for w in pisang singkong tempe nanas bawang jahe pandan rotan jati "mega+mendung" sogan bambu keripik kue sambal kopi wedang batik tas anyaman "gantungan+kunci" kaos \
	"keripik+pisang" "tas+rotan" "batik+sogan" "kopi+jahe" "sambal+bawang" "kue+nanas" kripik "keripk+pisan" anyam manis pedas balado premium klasik; do
	for extra in "" "&category=makanan" "&sort=price_asc"; do echo "/api/v1/products?q=$w$extra" >>"$OUT/search.txt"; done
done

run_server() { # $1 = search cache TTL
	# Another server on the port would be measured instead of this build.
	if curl -fs "http://$ADDR/readyz" >/dev/null 2>&1; then echo "$ADDR is taken: set BENCH_ADDR"; exit 1; fi
	DATABASE_URL=$URL HTTP_ADDR=$ADDR LOG_LEVEL=warn SEARCH_CACHE_TTL=$1 "$OUT/atensi" serve --no-workers >"$OUT/serve.log" 2>&1 &
	SERVER=$!
	for _ in $(seq 1 100); do curl -fs "http://$ADDR/readyz" >/dev/null && return 0; sleep 0.1; done
	echo "server did not start"; cat "$OUT/serve.log"; exit 1
}
stop_server() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; }
load() { # $1 = name, $2 = path list
	PATHS=$2 wrk -t2 -c"$CONNS" -d"$DURATION" -s scripts/bench/paths.lua "http://$ADDR" | grep RESULT | sed "s/^RESULT/$1/"
}

run_server 0
go run ./scripts/bench/longtail -db "$URL" -server "http://$ADDR" -out "$OUT"
stop_server

for ttl in 15s 0; do
	run_server "$ttl"
	echo "== search cache TTL $ttl (${CONNS} connections, $DURATION each)"
	DURATION=5s load "warm-up browse" "$OUT/browse.txt" >/dev/null
	DURATION=5s load "warm-up search" "$OUT/search.txt" >/dev/null
	load "browse (repeating)" "$OUT/browse.txt"
	load "search (repeating)" "$OUT/search.txt"
	load "long tail API" "$OUT/api.txt"
	load "long tail pages" "$OUT/pages.txt"
	echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{print $2/1024 " MB"}')"
	stop_server
done

echo "== the main statements through pgbench (24 connections, the app's pool size, prepared as pgx prepares them)"
for f in words search product browse; do
	tps=$(pgbench -n -M prepared -h 127.0.0.1 -U atensi -c 24 -j 2 -T "${DURATION%s}" -f "scripts/bench/$f.sql" "$DB" 2>/dev/null | awk '/^tps/ {print int($3)}')
	echo "$f pgbench tps=$tps"
done

[[ ${BENCH_GO:-1} == 0 ]] && exit 0
echo "== Go benchmarks: photo processing (3 photos), checkout (3000 checkouts each: capacity, and p99 at 300/s), payouts"
go test -run '^$' -bench Process12MP -benchmem -benchtime 3x ./catalog 2>&1 | grep -E '^(Benchmark|FAIL|---)' || true
go test -run '^$' -bench Checkout -benchmem -benchtime 3000x ./orders 2>&1 | grep -E '^(Benchmark|FAIL|---)' || true
go test -run '^$' -bench Draft10000Shops -benchtime 3x ./payouts 2>&1 | grep -E '^(Benchmark|FAIL|---)' || true
go test -run '^$' -bench ShopBalance -benchtime 2000x ./payouts 2>&1 | grep -E '^(Benchmark|FAIL|---)' || true
