#!/usr/bin/env bash
# Fetches FitTrackee's own built web client (the Vue app inside the
# `fittrackee` wheel on PyPI) into target/fittrackee-client/dist for the
# compatibility test (tests/it/fittrackee_client.rs). A test aid only: it
# is never shipped, copied into the product, or served by it.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=1.2.2
SHA256=2c25f52bc75921a81cc8208b29c9d588c170b8d084a8f9e54e56321ce3aef015
DEST=target/fittrackee-client

[ -f "$DEST/dist/index.html" ] && exit 0
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    "fittrackee==$VERSION" -d "$tmp"
wheel="$tmp/fittrackee-$VERSION-py3-none-any.whl"
echo "$SHA256  $wheel" | sha256sum --check --quiet
python3 - "$wheel" "$DEST" <<'PY'
import os, sys, zipfile
wheel, dest = sys.argv[1], sys.argv[2]
prefix = "fittrackee/dist/"
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            target = os.path.join(dest, "dist", name[len(prefix):])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as out:
                out.write(z.read(name))
PY
echo "FitTrackee $VERSION web client in $DEST/dist"
