#!/usr/bin/env bash
# Installs openapi-spec-validator (a maintained OpenAPI 3.1 validator, from
# PyPI) into target/openapi-venv for tests/it/openapi.rs. A test aid only.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/openapi-venv
[ -x "$VENV/bin/openapi-spec-validator" ] && exit 0
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check "openapi-spec-validator==0.7.1"
echo "openapi-spec-validator in $VENV"
