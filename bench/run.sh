#!/usr/bin/env bash
# Benchmarks the release build on loopback and writes the results into
# BENCHMARKS.md (between the results markers; the rest of the file is kept).
#
#   bench/run.sh                  # every case, 10 s each
#   DURATION=3 bench/run.sh       # quicker, noisier
#
# Needs wrk and openssl (installed with apt-get when missing) and Linux /proc.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-10}
WORKERS=8
WORKOUTS=10000
EMAIL=bench@example.org
PASSWORD=bench-password-0123456789

source dist/packages.sh
need_packages wrk openssl

cargo build --release --quiet --bin fittrackee --example ceiling --example benchkit
BIN=target/release/fittrackee
KIT=target/release/examples/benchkit
CEILING=target/release/examples/ceiling

WORK=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

config() { # database file → a config listening on an ephemeral port
    printf 'listen = "127.0.0.1:0"\ndatabase = "%s"\nworkers = %d\n' "$1" "$WORKERS"
}

# Starts a server (its command line in "$@"), records its pid in PID and its
# address in ADDR (parsed from the "listening on http://…" line).
start() {
    local out="$WORK/start.$RANDOM"
    "$@" >"$out" 2>>"$WORK/server.log" &
    PID=$!
    PIDS+=("$PID")
    for _ in $(seq 100); do
        ADDR=$(sed -n 's/.*listening on https*:\/\/\([^ ,]*\).*/\1/p' "$out")
        [ -n "$ADDR" ] && return 0
        sleep 0.05
    done
    echo "the server did not start: $(cat "$out" "$WORK/server.log")" >&2
    exit 1
}

rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
peak_kib() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICKS=$(getconf CLK_TCK)

ROWS="$WORK/rows"
: >"$ROWS"
declare -A RPS P50 PEAK

# run_case NAME PID URL THREADS CONNECTIONS CASE [VAR=value...]
run_case() {
    local name=$1 pid=$2 url=$3 threads=$4 connections=$5 case=$6
    shift 6
    sleep 1
    local idle cpu0 cpu1 out result
    idle=$(rss_kib "$pid")
    echo 5 >"/proc/$pid/clear_refs" # resets VmHWM: the peak of this case only
    cpu0=$(cpu_ticks "$pid")
    out=$(env CASE="$case" "$@" wrk -t"$threads" -c"$connections" -d"${DURATION}s" --timeout 10s -s bench/cases.lua "$url")
    cpu1=$(cpu_ticks "$pid")
    result=$(grep '^RESULT' <<<"$out") || { echo "$name: $out" >&2; exit 1; }
    read -r _ requests seconds rps p50 p99 errors <<<"$result"
    # A case whose requests fail measures the failure, not the case.
    [ "$errors" = 0 ] || { echo "$name: $errors of $requests requests failed" >&2; exit 1; }
    local peak cpu
    peak=$(peak_kib "$pid")
    cpu=$(awk -v d=$((cpu1 - cpu0)) -v s="$seconds" -v t="$TICKS" 'BEGIN {printf "%.0f", 100 * d / t / s}')
    RPS[$name]=$rps
    P50[$name]=$p50
    PEAK[$name]=$peak
    printf '%s|%s|%s|%s|%s|%s|%s|%s|%s|%s\n' "$name" "$connections" "$requests" "$rps" "$p50" "$p99" "$errors" \
        "$((idle / 1024)).$((idle % 1024 * 10 / 1024))" "$((peak / 1024)).$((peak % 1024 * 10 / 1024))" "$cpu" >>"$ROWS"
    echo "$name: $rps req/s, p50 $p50 ms, p99 $p99 ms, $errors errors, peak RSS $peak KiB, CPU $cpu %" >&2
}

# The ceiling: same pool, one SHA-256 and one indexed read per request.
start "$CEILING" 127.0.0.1:0 "$WORK/ceiling.db" "$WORKERS"
CEILING_PID=$PID CEILING_URL="http://$ADDR"
run_case "ceiling 16" "$CEILING_PID" "$CEILING_URL/" 2 16 get TOKEN=ceiling-benchmark-token
run_case "ceiling 64" "$CEILING_PID" "$CEILING_URL/" 2 64 get TOKEN=ceiling-benchmark-token
kill "$CEILING_PID"

# The product, on a fresh database with a seeded admin, app, grants and workouts.
config "$WORK/fittrackee.db" >"$WORK/fittrackee.toml"
"$BIN" --config "$WORK/fittrackee.toml" users create bench --email "$EMAIL" --password "$PASSWORD" --role admin >/dev/null
start "$BIN" --config "$WORK/fittrackee.toml" serve
SERVER_PID=$PID URL="http://$ADDR"
IDLE_AT_START=$(rss_kib "$SERVER_PID")
echo "seeding $WORKOUTS workouts" >&2
eval "$("$KIT" seed "$ADDR" "$EMAIL" "$PASSWORD" "$WORKOUTS" "$WORK/bench.gpx")"

run_case "profile 16" "$SERVER_PID" "$URL/api/auth/profile" 2 16 get TOKEN="$ACCESS_TOKEN"
run_case "profile 64" "$SERVER_PID" "$URL/api/auth/profile" 2 64 get TOKEN="$ACCESS_TOKEN"
run_case "workouts page" "$SERVER_PID" "$URL/api/workouts?page=1" 2 16 get TOKEN="$ACCESS_TOKEN"
run_case "round trips 1" "$SERVER_PID" "$URL" 1 1 roundtrip JWT="$JWT" CLIENT_ID="$CLIENT_ID" CLIENT_SECRET="$CLIENT_SECRET"
run_case "round trips 8" "$SERVER_PID" "$URL" 8 8 roundtrip JWT="$JWT" CLIENT_ID="$CLIENT_ID" CLIENT_SECRET="$CLIENT_SECRET"
run_case "refresh 8" "$SERVER_PID" "$URL" 8 8 refresh REFRESH_TOKENS="$REFRESH_TOKENS" CLIENT_ID="$CLIENT_ID" \
    CLIENT_SECRET="$CLIENT_SECRET"
eval "$("$KIT" pages "$ADDR" "$EMAIL" "$PASSWORD" "$WORK/bench.gpx")"
run_case "workout page, 10k points" "$SERVER_PID" "$URL/workouts/$WORKOUT_ID" 1 1 page COOKIE="$SESSION_COOKIE"
run_case "statistics page, by year" "$SERVER_PID" "$URL/statistics?period=year" 1 1 page COOKIE="$SESSION_COOKIE"
run_case "dashboard" "$SERVER_PID" "$URL/" 1 1 page COOKIE="$SESSION_COOKIE"
"$KIT" formats "$WORK/bench.gpx" "$WORK"
run_case "upload 10k points" "$SERVER_PID" "$URL/api/workouts" 1 1 upload TOKEN="$ACCESS_TOKEN" UPLOAD_FILE="$WORK/bench.gpx"
run_case "upload 10k points, FIT" "$SERVER_PID" "$URL/api/workouts" 1 1 upload TOKEN="$ACCESS_TOKEN" \
    UPLOAD_FILE="$WORK/bench.fit"
run_case "upload 10k points, TCX" "$SERVER_PID" "$URL/api/workouts" 1 1 upload TOKEN="$ACCESS_TOKEN" \
    UPLOAD_FILE="$WORK/bench.tcx"
run_case "login 8" "$SERVER_PID" "$URL/api/auth/login" 8 8 login EMAIL="$EMAIL" PASSWORD="$PASSWORD"
# Everyone else while 64 slow clients trickle (SECURITY.md B4).
"$KIT" slow "$ADDR" "$ACCESS_TOKEN" $((DURATION + 2)) &
SLOW_PID=$!
PIDS+=("$SLOW_PID")
run_case "config, 64 slow clients" "$SERVER_PID" "$URL/api/config" 2 4 get TOKEN=none
wait "$SLOW_PID" || true
kill "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true

# The same database served over built-in TLS (an ECDSA P-256 certificate,
# as Let's Encrypt issues by default): keep-alive, and a handshake each.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
    -keyout "$WORK/key.pem" -out "$WORK/cert.pem" 2>/dev/null
{ cat "$WORK/fittrackee.toml"; printf 'tls_cert = "%s"\ntls_key = "%s"\n' "$WORK/cert.pem" "$WORK/key.pem"; } \
    >"$WORK/tls.toml"
start "$BIN" --config "$WORK/tls.toml" serve
TLS_PID=$PID
run_case "profile 64, TLS" "$TLS_PID" "https://$ADDR/api/auth/profile" 2 64 get TOKEN="$ACCESS_TOKEN"
run_case "config, TLS handshake each" "$TLS_PID" "https://$ADDR/api/config" 2 16 handshake
kill "$TLS_PID"
wait "$TLS_PID" 2>/dev/null || true

START_SEEDED=$("$KIT" startup "$BIN" "$WORK/fittrackee.toml" 21)
config "$WORK/fresh.db" >"$WORK/fresh.toml"
START_FRESH=$(rm -f "$WORK"/fresh.db*; "$KIT" startup "$BIN" "$WORK/fresh.toml" 1)
BINARY_KIB=$(($(stat -c %s "$BIN") / 1024))
XML_COSTS=$("$KIT" xml)
GPX_KIB=$(($(stat -c %s "$WORK/bench.gpx") / 1024))
FIT_KIB=$(($(stat -c %s "$WORK/bench.fit") / 1024))
TCX_KIB=$(($(stat -c %s "$WORK/bench.tcx") / 1024))

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
verdict() { awk -v ok="$1" 'BEGIN {print (ok ? "met" : "**missed**")}'; }

results() {
    echo "Run on $(date -u '+%Y-%m-%d %H:%M UTC') with \`bench/run.sh\` (DURATION=${DURATION}s per case, $WORKERS workers)."
    echo
    echo "- Machine: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores," \
        "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), Linux $(uname -r)"
    echo "- Build: $(rustc -V), release profile; wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') on the same cores"
    echo "- Data: 5 users, an app with 9 grants, $WORKOUTS workouts for the measured user;" \
        "uploads of the same 10,000 points as GPX (${GPX_KIB} KiB), FIT (${FIT_KIB} KiB) and TCX (${TCX_KIB} KiB)"
    echo
    echo "| case | connections | requests | req/s | × ceiling | p50 ms | p99 ms | errors | RSS before MiB | RSS peak MiB | CPU % |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    while IFS='|' read -r name connections requests rps p50 p99 errors idle peak cpu; do
        local base=${RPS["ceiling 16"]}
        [ "$connections" = 64 ] && base=${RPS["ceiling 64"]}
        echo "| $name | $connections | $requests | $rps | $(ratio "$rps" "$base") | $p50 | $p99 | $errors | $idle | $peak | $cpu |"
    done <"$ROWS"
    echo
    echo "A round trip is two requests (authorize, then the code exchange): round trips/s = req/s ÷ 2."
    echo "RSS right after start: $((IDLE_AT_START / 1024)) MiB. Start-up to the first answered request:" \
        "${START_SEEDED} ms (median of 21, seeded database), ${START_FRESH} ms (new database: schema created)." \
        "Binary: $((BINARY_KIB / 1024)).$((BINARY_KIB % 1024 * 10 / 1024)) MiB."
    echo
    local guarded trips
    guarded=$(ratio "${RPS["profile 16"]}" "${RPS["ceiling 16"]}")
    trips=$(awk -v r="${RPS["round trips 8"]}" 'BEGIN {printf "%.0f", r / 2}')
    echo "| target | measured | |"
    echo "|---|---:|---|"
    echo "| guarded GET ≥ 0.7 × ceiling | $guarded | $(verdict "$(awk -v g="$guarded" 'BEGIN {print (g >= 0.7)}')") |"
    echo "| workouts page ≥ 5,000 req/s | ${RPS["workouts page"]} | $(verdict "$(awk -v r="${RPS["workouts page"]}" 'BEGIN {print (r >= 5000)}')") |"
    echo "| round trips ≥ 2,500/s (8 clients) | $trips | $(verdict "$(awk -v r="$trips" 'BEGIN {print (r >= 2500)}')") |"
    echo "| RSS ≤ 20 MB at 64 connections | $((${PEAK["profile 64"]} / 1024)) MiB | $(verdict "$((${PEAK["profile 64"]} <= 19531))") |"
    echo "| start ≤ 50 ms | ${START_SEEDED} ms | $(verdict "$(awk -v s="$START_SEEDED" 'BEGIN {print (s <= 50)}')") |"
    echo "| 10k-point upload ≤ 50 ms | ${P50["upload 10k points"]} ms | $(verdict "$(awk -v s="${P50["upload 10k points"]}" 'BEGIN {print (s <= 50)}')") |"
    for format in FIT TCX; do
        local p50=${P50["upload 10k points, $format"]} ratio_to_gpx
        ratio_to_gpx=$(ratio "$p50" "${P50["upload 10k points"]}")
        echo "| 10k-point $format upload ≤ 1.5 × GPX | $ratio_to_gpx ($p50 ms) | $(verdict "$(awk -v r="$ratio_to_gpx" 'BEGIN {print (r <= 1.5)}')") |"
    done
    local page_p50=${P50["workout page, 10k points"]} stats_p50=${P50["statistics page, by year"]}
    echo "| workout page of 10k points ≤ 60 KB | $((WORKOUT_PAGE_BYTES / 1000)) KB | $(verdict "$((WORKOUT_PAGE_BYTES <= 60000))") |"
    echo "| workout page of 10k points ≤ 10 ms p50 | ${page_p50} ms | $(verdict "$(awk -v s="$page_p50" 'BEGIN {print (s <= 10)}')") |"
    echo "| statistics page ($WORKOUTS workouts over 7 years, by year) ≤ 20 ms p50 | ${stats_p50} ms ($((STATISTICS_PAGE_BYTES / 1000)) KB) | $(verdict "$(awk -v s="$stats_p50" 'BEGIN {print (s <= 20)}')") |"
    local slow_p99
    slow_p99=$(awk -F'|' '$1 == "config, 64 slow clients" {print $6}' "$ROWS")
    echo "| GET p99 ≤ 100 ms beside 64 slow clients | ${slow_p99} ms | $(verdict "$(awk -v s="$slow_p99" 'BEGIN {print (s <= 100)}')") |"
    echo
    echo "Reading workout files (\`benchkit xml\`, in-process, best of 7):"
    echo
    echo "$XML_COSTS"
}

# Replace what is between the markers, keep the rest (history, notes).
RESULTS="$WORK/results.md"
results >"$RESULTS"
if [ ! -f BENCHMARKS.md ]; then
    printf '# Benchmarks\n\n<!-- results: written by bench/run.sh -->\n<!-- /results -->\n' >BENCHMARKS.md
fi
awk -v results="$RESULTS" '
    /^<!-- \/results -->/ { while ((getline line < results) > 0) print line; skip = 0 }
    !skip { print }
    /^<!-- results/ { skip = 1 }
' BENCHMARKS.md >"$WORK/BENCHMARKS.md"
mv "$WORK/BENCHMARKS.md" BENCHMARKS.md
cat "$RESULTS"
