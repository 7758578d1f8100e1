#!/usr/bin/env bash
# Debian packages (cargo-deb, installed here when missing): one for this
# machine, and one per Raspberry Pi binary dist/build.sh made. Then the
# native one is installed, run, and removed again (`dpkg -i` needs root).
#
#   dist/deb.sh            # build them, and check the native one
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-deb >/dev/null || cargo install cargo-deb --locked --quiet
mkdir -p dist/out
cargo build --release --quiet --bin fittrackee
cargo deb --no-build --quiet --output dist/out/
for target in aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf; do
    if [ -x "target/$target/release/fittrackee" ]; then
        cargo deb --no-build --quiet --no-strip --target "$target" --output dist/out/
    fi
done
ls -1 dist/out/*.deb

if [ "$(id -u)" -ne 0 ]; then
    echo "not installed: dpkg -i needs root"
    exit 0
fi
deb=$(ls dist/out/fittrackee_*_amd64.deb | head -1)
# The package's one dependency (its postinst adds the system user).
source dist/packages.sh
need_packages adduser
dpkg -i "$deb" >/dev/null
fittrackee --version
test -f /etc/fittrackee/fittrackee.toml
id fittrackee >/dev/null
runuser -u fittrackee -- fittrackee --config /etc/fittrackee/fittrackee.toml users create pkg_check --email pkg@example.org >/dev/null
runuser -u fittrackee -- fittrackee --config /etc/fittrackee/fittrackee.toml users list | grep -q pkg_check
dpkg -r fittrackee >/dev/null
rm -rf /var/lib/fittrackee/fittrackee.db*
echo "$deb: installs, runs, removes"
