#!/usr/bin/env bash
# The test stages of `make test`: the suite on SQLite, again on a throwaway PostgreSQL cluster started
# here, two app servers on one PostgreSQL and Redis, then the browser journeys in headless Chromium. One summary line per stage; non-zero if any fails.
# Under CI=true a missing PostgreSQL or Chromium fails its stage instead of skipping it.
set -uo pipefail
cd "$(dirname "$0")/.."
STAGES=${STAGES:-"lint sqlite postgresql servers browser"}
CI=${CI:-false}
PYTEST=(.venv/bin/python -m pytest -q)
# CI writes no .pytest_cache; a developer's keeps the last failures for --lf and --ff (make check).
[ "$CI" = "true" ] && PYTEST+=(-p no:cacheprovider)
# The SQLite and PostgreSQL stages run on this many pytest-xdist workers, each with its own database
# (TEST_WORKERS=0: in one process); the servers and browser stages always run in one.
WORKERS=${TEST_WORKERS:-auto}
summaries=()
failed_stages=0
total_passed=0
total_failed=0

record() {  # record STAGE RC LOGFILE
  local stage=$1 rc=$2 log=$3 line passed failed
  line=$(grep -E '([0-9]+ (passed|failed|error|errors|skipped))|no tests ran' "$log" | tail -n 1)
  passed=$(grep -oE '[0-9]+ passed' <<<"$line" | awk '{s+=$1} END {print s+0}')
  failed=$(grep -oE '[0-9]+ (failed|errors?)' <<<"$line" | awk '{s+=$1} END {print s+0}')
  total_passed=$((total_passed + ${passed:-0})); total_failed=$((total_failed + ${failed:-0}))
  if [ "$rc" -eq 0 ]; then summaries+=("stage $stage: PASS — $line"); else
    summaries+=("stage $stage: FAIL — ${line:-exit code $rc}"); failed_stages=$((failed_stages + 1)); fi
}

skip_or_fail() {  # skip_or_fail STAGE REASON
  if [ "$CI" = "true" ]; then summaries+=("stage $1: FAIL — $2"); failed_stages=$((failed_stages + 1))
  else summaries+=("stage $1: SKIPPED — $2"); fi
}

run_stage() {  # run_stage NAME pytest-args...
  local name=$1; shift
  local log; log=$(mktemp)
  echo "=== stage $name"
  "${PYTEST[@]}" "$@" 2>&1 | tee "$log"
  record "$name" "${PIPESTATUS[0]}" "$log"
  rm -f "$log"
}

stage_lint() {  # ruff, with the rules the team keeps (pyproject.toml)
  echo "=== stage lint"
  if .venv/bin/ruff check app tests bench migrations --output-format concise; then
    summaries+=("stage lint: PASS — ruff found nothing against the rules in pyproject.toml")
  else
    summaries+=("stage lint: FAIL — ruff findings above"); failed_stages=$((failed_stages + 1))
  fi
}

stage_sqlite() {
  TEST_DATABASE_URL= run_stage sqlite -n "$WORKERS" -m "not browser and not servers"
}

stage_postgresql() {
  local bin; bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then skip_or_fail postgresql "PostgreSQL server binaries not found"; return; fi
  local dir; dir=$(mktemp -d /tmp/sanad-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" = 0 ]; then chown postgres: "$dir"; as=(runuser -u postgres --); fi
  pg_stop() { "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$dir"; }
  trap pg_stop EXIT
  if ! "${as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U sanad -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
     ! "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
        "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
    cat "$dir/initdb.log" "$dir/server.log" 2>/dev/null | tail -n 20
    skip_or_fail postgresql "could not start a PostgreSQL cluster"; pg_stop; trap - EXIT; return
  fi
  "$bin/createdb" -h "$dir" -U sanad sanad_test  # each xdist worker makes its own beside it: sanad_test_gw0, …
  TEST_DATABASE_URL="postgresql://sanad@/sanad_test?host=$dir" run_stage "postgresql ($("$bin/postgres" --version | awk '{print $3}'))" \
    -n "$WORKERS" -m "not browser and not servers"
  pg_stop; trap - EXIT
}

stage_servers() {  # two gunicorn servers, one PostgreSQL, one Redis: the tests start them (tests/test_servers.py)
  if ! command -v redis-server >/dev/null 2>&1; then skip_or_fail servers "Debian's redis-server is not installed"; return; fi
  TEST_DATABASE_URL= run_stage servers -m servers tests/test_servers.py
}

stage_browser() {
  if ! command -v chromium >/dev/null 2>&1; then skip_or_fail browser "Debian's chromium is not installed"; return; fi
  # axe-core (the accessibility checks) from package-lock.json; the Makefile installs it, this covers a direct run.
  [ -f node_modules/axe-core/axe.min.js ] || npm ci --ignore-scripts --no-audit --no-fund --loglevel=error ||
    { summaries+=("stage browser: FAIL — npm ci could not install axe-core"); failed_stages=$((failed_stages + 1)); return; }
  run_stage browser -m browser tests/browser
}

# Every Debian package any stage needs, installed once before the first stage (a fresh machine passes on
# the first run); then every tool a test shells out to must be there, or make test stops here naming it.
bash scripts/system-deps.sh || echo "system-deps: some packages could not be installed (see above)"
if ! bash scripts/system-deps.sh --check; then
  if [ "$CI" = "true" ]; then echo "make test: missing system packages (above); stopping before the first stage"; exit 1; fi
  echo "make test: missing system packages (above): the stages that need them will fail or be skipped"
fi

for stage in $STAGES; do "stage_$stage"; done
echo
echo "=== summary"
printf '%s\n' "${summaries[@]}"
echo "total: $total_passed passed, $total_failed failed"
[ "$failed_stages" -eq 0 ]
