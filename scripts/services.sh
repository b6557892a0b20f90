#!/usr/bin/env bash
# Local services for development and tests: PostgreSQL (the machine's own
# cluster) with a streaming replica of it on port 5433 (pg_basebackup), MinIO
# and stripe-mock (pinned, installed with `go install`).
#   scripts/services.sh up       install what is missing, start what is stopped
#   scripts/services.sh down     stop the replica, MinIO and stripe-mock (PostgreSQL is the machine's)
#   scripts/services.sh status
# Idempotent: `up` on running services only checks them.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOOLS="$ROOT/.tools/bin"
DATA="$ROOT/.data"

MINIO_VERSION=v0.0.0-20260212201848-7aac2a2c5b7c
STRIPE_MOCK_VERSION=v0.203.0
PG_ROLE=atensi
PG_DB=atensi
REPLICA_PORT=5433
MINIO_ADDR=127.0.0.1:9000
MINIO_CONSOLE=127.0.0.1:9001
STRIPE_MOCK_HTTP=12111
STRIPE_MOCK_HTTPS=12112

say() { printf '[services] %s\n' "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

port_open() { (exec 3<>"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null; }

wait_for() { # name check-command...
	local name=$1; shift
	for _ in $(seq 1 150); do
		if "$@"; then return 0; fi
		sleep 0.2
	done
	die "$name did not come up in 30s; see $DATA/logs/"
}

# go_tool NAME MODULE@VERSION: install into .tools/bin unless that exact version is there.
go_tool() {
	local name=$1 pkg=$2 stamp="$TOOLS/.$1.version"
	if [[ -x "$TOOLS/$name" && "$(cat "$stamp" 2>/dev/null)" == "$pkg" ]]; then return 0; fi
	command -v go >/dev/null || die "go is not installed"
	say "installing $pkg (first run only; MinIO takes minutes to build)"
	mkdir -p "$TOOLS"
	GOBIN="$TOOLS" GOFLAGS=-buildvcs=false go install "$pkg" || die "go install $pkg failed"
	echo "$pkg" >"$stamp"
}

postgres_up() {
	if ! command -v psql >/dev/null; then
		[[ $(id -u) == 0 ]] || die "PostgreSQL is not installed; install the postgresql package"
		say "installing PostgreSQL from Debian packages"
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
	fi
	if ! pg_isready -q -h 127.0.0.1 -p 5432; then
		local version
		version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
		[[ -n $version ]] || die "no PostgreSQL cluster found under /etc/postgresql"
		say "starting PostgreSQL $version"
		pg_ctlcluster --skip-systemctl-redirect "$version" main start
		wait_for PostgreSQL pg_isready -q -h 127.0.0.1 -p 5432
	fi
	psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$PG_ROLE'" | grep -q 1 ||
		psql_admin -qc "CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_ROLE'"
	psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'" | grep -q 1 ||
		psql_admin -qc "CREATE DATABASE $PG_DB OWNER $PG_ROLE"
}

# psql_admin runs psql as the cluster's superuser, over the socket as the
# postgres OS user when we are root, else over TCP (trust auth on this machine).
psql_admin() {
	if [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1; then
		runuser -u postgres -- psql -X -v ON_ERROR_STOP=1 -d postgres "$@"
	else
		psql -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d postgres "$@"
	fi
}

# as_pg runs a command as the cluster's OS user when we are root (PostgreSQL
# refuses to run as root), else as ourselves.
as_pg() {
	if [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_bin is the server programs' folder of Debian's newest PostgreSQL.
pg_bin() { echo "/usr/lib/postgresql/$(ls /usr/lib/postgresql | sort -V | tail -1)/bin"; }

# replica_dir is where the replica keeps its data and log: the cluster's OS
# user must reach it, which a checkout under another user's folder may not
# allow, so as root it lives beside the cluster's own data.
replica_dir() {
	if [[ $(id -u) == 0 ]] && id postgres >/dev/null 2>&1; then echo /var/lib/postgresql/atensi-replica-$REPLICA_PORT; else echo "$DATA/replica"; fi
}

replica_streaming() {
	[[ $(psql -X -h 127.0.0.1 -p $REPLICA_PORT -U postgres -d postgres -tAc "SELECT status FROM pg_stat_wal_receiver" 2>/dev/null) == streaming ]]
}

# replica_up keeps a hot standby of the machine's cluster on port 5433, for
# the test that reads the catalog from a replica (DATABASE_REPLICA_URL). It
# is rebuilt from a fresh base backup whenever it is not streaming (a new
# checkout, a standby that fell behind the primary's kept WAL).
replica_up() {
	replica_streaming && return 0
	local bin dir log
	dir=$(replica_dir)
	log="$dir.log"
	bin=$(pg_bin)
	[[ -x $bin/pg_ctl ]] || die "pg_ctl not found in $bin (the postgresql package provides it)"
	if [[ -f $dir/postmaster.pid ]]; then as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true; fi
	port_open "127.0.0.1:$REPLICA_PORT" && die "port $REPLICA_PORT is taken by something that is not our streaming replica"
	# Base backups and streaming need a replication line in the primary's pg_hba.
	local hba
	hba=$(psql_admin -tAc "SHOW hba_file")
	if ! grep -Eq '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
		[[ -w $hba ]] || die "$hba needs the line 'host replication all 127.0.0.1/32 trust' for the local replica"
		say "allowing local replication in $hba"
		echo "host replication all 127.0.0.1/32 trust" >>"$hba"
		psql_admin -qc "SELECT pg_reload_conf()" >/dev/null
	fi
	say "making a streaming replica on 127.0.0.1:$REPLICA_PORT (pg_basebackup)"
	rm -rf "$dir"
	install -d -m 700 "$dir"
	if [[ $(id -u) == 0 ]]; then chown postgres "$dir"; fi
	as_pg "$bin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$dir" -R -X stream -c fast ||
		die "pg_basebackup failed"
	# A hot standby needs at least the primary's limits.
	local limits
	limits=$(psql -X -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT string_agg(name || ' = ' || setting, E'\n') FROM pg_settings
		WHERE name IN ('max_connections', 'max_worker_processes', 'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')")
	as_pg tee "$dir/postgresql.conf" >/dev/null <<-EOF
		port = $REPLICA_PORT
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$dir'
		hot_standby = on
		hot_standby_feedback = on
		$limits
	EOF
	as_pg tee "$dir/pg_hba.conf" >/dev/null <<-EOF
		local all all trust
		host all all 127.0.0.1/32 trust
	EOF
	as_pg "$bin/pg_ctl" -D "$dir" -l "$log" -w start >/dev/null || die "the replica did not start; see $log"
	wait_for "the replica's streaming" replica_streaming
}

replica_down() {
	local dir
	dir=$(replica_dir)
	[[ -f $dir/postmaster.pid ]] || return 0
	say "stopping the replica"
	as_pg "$(pg_bin)/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
}

minio_up() {
	go_tool minio "github.com/minio/minio@$MINIO_VERSION"
	if curl -fsS "http://$MINIO_ADDR/minio/health/live" >/dev/null 2>&1; then return 0; fi
	port_open "$MINIO_ADDR" && die "port ${MINIO_ADDR##*:} is taken by something that is not MinIO"
	say "starting MinIO on $MINIO_ADDR"
	mkdir -p "$DATA/minio" "$DATA/logs"
	MINIO_ROOT_USER=minioadmin MINIO_ROOT_PASSWORD=minioadmin MINIO_BROWSER=off \
		nohup "$TOOLS/minio" server "$DATA/minio" --address "$MINIO_ADDR" --console-address "$MINIO_CONSOLE" --quiet \
		>"$DATA/logs/minio.log" 2>&1 &
	echo $! >"$DATA/minio.pid"
	wait_for MinIO curl -fs "http://$MINIO_ADDR/minio/health/live" -o /dev/null
}

stripe_mock_up() {
	go_tool stripe-mock "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION"
	if port_open "127.0.0.1:$STRIPE_MOCK_HTTP"; then return 0; fi
	say "starting stripe-mock on 127.0.0.1:$STRIPE_MOCK_HTTP"
	mkdir -p "$DATA/logs"
	nohup "$TOOLS/stripe-mock" -http-addr "127.0.0.1:$STRIPE_MOCK_HTTP" -https-addr "127.0.0.1:$STRIPE_MOCK_HTTPS" \
		>"$DATA/logs/stripe-mock.log" 2>&1 &
	echo $! >"$DATA/stripe-mock.pid"
	wait_for stripe-mock port_open "127.0.0.1:$STRIPE_MOCK_HTTP"
}

stop_pid() {
	local pidfile="$DATA/$1.pid"
	[[ -f $pidfile ]] || return 0
	local pid
	pid=$(cat "$pidfile")
	if kill "$pid" 2>/dev/null; then
		say "stopping $1 ($pid)"
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -f "$pidfile"
}

status() {
	local ok=0
	if pg_isready -q -h 127.0.0.1 -p 5432; then echo "postgres     up   127.0.0.1:5432 db=$PG_DB"; else echo "postgres     DOWN"; ok=1; fi
	if replica_streaming; then echo "replica      up   127.0.0.1:$REPLICA_PORT (streaming)"; else echo "replica      DOWN"; ok=1; fi
	if curl -fsS "http://$MINIO_ADDR/minio/health/live" >/dev/null 2>&1; then echo "minio        up   $MINIO_ADDR"; else echo "minio        DOWN"; ok=1; fi
	if port_open "127.0.0.1:$STRIPE_MOCK_HTTP"; then echo "stripe-mock  up   127.0.0.1:$STRIPE_MOCK_HTTP"; else echo "stripe-mock  DOWN"; ok=1; fi
	return $ok
}

case "${1:-}" in
up)
	postgres_up
	replica_up
	minio_up
	stripe_mock_up
	;;
down)
	replica_down
	stop_pid minio
	stop_pid stripe-mock
	;;
status) status ;;
*) die "usage: $0 up|down|status" ;;
esac
