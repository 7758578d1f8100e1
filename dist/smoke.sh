#!/usr/bin/env bash
# Runs each binary of dist/out/ under qemu-user-static: start it, register,
# sign in, upload a GPX, list it; then start it with a TLS certificate and
# ask over HTTPS. Fails on the first binary that does not.
#
#   dist/smoke.sh                       # every binary in dist/out/
#   dist/smoke.sh dist/out/fittrackee-aarch64-unknown-linux-gnu
set -euo pipefail
cd "$(dirname "$0")/.."

source dist/packages.sh
# The emulators, and openssl to make the certificate of the HTTPS check.
need_packages qemu-user-static openssl

BINARIES=("$@")
[ ${#BINARIES[@]} -gt 0 ] || BINARIES=(dist/out/fittrackee-*)
GPX=tests/data/gpx/tour_segments.gpx

# start WORK EMULATOR... BINARY: serves WORK/fittrackee.toml; sets pid and addr.
start() {
    local work=$1
    shift
    # Created here: the background process opens them a moment later.
    : >"$work/out"
    : >"$work/err"
    "$@" --config "$work/fittrackee.toml" serve >"$work/out" 2>"$work/err" &
    pid=$!
    addr=""
    for _ in $(seq 200); do
        addr=$(sed -n 's/.*listening on https*:\/\/\([^ ,]*\).*/\1/p' "$work/out")
        [ -n "$addr" ] && return 0
        sleep 0.1
    done
    echo "${*: -1} did not start: $(cat "$work/err")" >&2
    kill "$pid"
    exit 1
}

stop() {
    kill -TERM "$pid"
    wait "$pid" || { echo "$1 did not stop cleanly" >&2; exit 1; }
}

for binary in "${BINARIES[@]}"; do
    case "$binary" in
        *aarch64-unknown-linux-gnu) run=(qemu-aarch64-static -L /usr/aarch64-linux-gnu) ;;
        *aarch64-unknown-linux-musl) run=(qemu-aarch64-static) ;;
        *armv7-unknown-linux-gnueabihf) run=(qemu-arm-static -L /usr/arm-linux-gnueabihf) ;;
        *) echo "which emulator runs $binary?" >&2; exit 2 ;;
    esac
    work=$(mktemp -d)
    printf 'listen = "127.0.0.1:0"\ndatabase = "%s/fittrackee.db"\n' "$work" >"$work/fittrackee.toml"
    start "$work" "${run[@]}" "$binary"
    python3 - "$addr" "$GPX" <<'PY'
import json, sys, urllib.error, urllib.request
addr, gpx = sys.argv[1], sys.argv[2]
def call(method, path, body=None, token=None, content_type="application/json"):
    request = urllib.request.Request(f"http://{addr}{path}", data=body, method=method)
    request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return json.load(answer)
    except urllib.error.HTTPError as e:
        sys.exit(f"{method} {path}: {e.code} {e.read().decode()}")
user = {"username": "pi_owner", "email": "pi@example.org", "password": "raspberry-pi-passphrase", "accepted_policy": True}
call("POST", "/api/auth/register", json.dumps(user).encode())
token = call("POST", "/api/auth/login", json.dumps({"email": user["email"], "password": user["password"]}).encode())["auth_token"]
boundary = "smoke-boundary"
body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\n\r\n{{\"sport_id\": 3}}\r\n"
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"tour.gpx\"\r\n\r\n").encode()
body += open(gpx, "rb").read() + f"\r\n--{boundary}--\r\n".encode()
created = call("POST", "/api/workouts", body, token, f"multipart/form-data; boundary={boundary}")
listed = call("GET", "/api/workouts", token=token)["data"]["workouts"]
assert [w["id"] for w in listed] == [created["data"]["workouts"][0]["id"]], listed
print(f"  {listed[0]['title']}: {listed[0]['distance']} km, {len(listed[0]['records'])} records")
PY
    stop "$binary"
    echo "$binary: starts, registers, signs in, uploads and lists under $(basename "${run[0]}")"
    # Built-in TLS (ring's assembly for this CPU): one request over HTTPS.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
    printf 'tls_cert = "%s/cert.pem"\ntls_key = "%s/key.pem"\n' "$work" "$work" >>"$work/fittrackee.toml"
    start "$work" "${run[@]}" "$binary"
    python3 - "$addr" "$work/cert.pem" <<'PY'
import ssl, sys, urllib.request
addr, cert = sys.argv[1], sys.argv[2]
context = ssl.create_default_context(cafile=cert)
with urllib.request.urlopen(f"https://{addr}/api/config", context=context, timeout=60) as answer:
    assert answer.status == 200 and answer.headers["Strict-Transport-Security"], answer.headers
PY
    stop "$binary"
    echo "$binary: serves HTTPS"
    rm -rf "$work"
done
