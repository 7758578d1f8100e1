#!/usr/bin/env bash
# Builds the server for Raspberry Pis, from this x86-64 machine:
#   aarch64-unknown-linux-gnu      Pi 3, 4, 5 with a 64-bit OS
#   armv7-unknown-linux-gnueabihf  32-bit Raspberry Pi OS
#   aarch64-unknown-linux-musl     a static binary for any 64-bit Linux (built with zig)
# Rust targets come from rustup, linkers from Debian's cross toolchains
# (installed here when missing), and for musl from zig (PyPI, in a venv). Binaries land in dist/out/, and
# dist/smoke.sh runs each one under qemu-user-static.
#
#   dist/build.sh                 # every target
#   dist/build.sh aarch64-unknown-linux-gnu
set -euo pipefail
cd "$(dirname "$0")/.."

TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(aarch64-unknown-linux-gnu armv7-unknown-linux-gnueabihf aarch64-unknown-linux-musl)

source dist/packages.sh

mkdir -p dist/out
for target in "${TARGETS[@]}"; do
    case "$target" in
        aarch64-unknown-linux-gnu)
            need_packages gcc-aarch64-linux-gnu libc6-dev-arm64-cross
            cc=aarch64-linux-gnu-gcc ;;
        aarch64-unknown-linux-musl)
            # SQLite's C must be compiled against musl's headers: Debian's
            # glibc cross gcc leaves open64 & co. unresolved, and Debian has
            # no musl cross gcc. Zig (from PyPI, with cargo-zigbuild) carries
            # musl for every target and is the C compiler and linker here.
            zig_venv=target/zig-venv
            [ -x "$zig_venv/bin/cargo-zigbuild" ] || {
                python3 -m venv "$zig_venv"
                "$zig_venv/bin/pip" install --quiet cargo-zigbuild
            }
            rustup target add "$target" >/dev/null
            PATH="$PWD/$zig_venv/bin:$PATH" cargo zigbuild --release --quiet --target "$target" --bin fittrackee
            cp "target/$target/release/fittrackee" "dist/out/fittrackee-$target"
            echo "$target: dist/out/fittrackee-$target ($(du -k "dist/out/fittrackee-$target" | cut -f1) KiB, static)"
            continue ;;
        armv7-unknown-linux-gnueabihf)
            need_packages gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
            cc=arm-linux-gnueabihf-gcc ;;
        *) echo "unknown target $target" >&2; exit 2 ;;
    esac
    rustup target add "$target" >/dev/null
    upper=$(echo "$target" | tr 'a-z-' 'A-Z_')
    lower=$(echo "$target" | tr '-' '_')
    if env "CARGO_TARGET_${upper}_LINKER=$cc" "CC_${lower}=$cc" "AR_${lower}=${cc%-gcc}-ar" \
        cargo build --release --quiet --target "$target" --bin fittrackee; then
        cp "target/$target/release/fittrackee" "dist/out/fittrackee-$target"
        "${cc%-gcc}-strip" "dist/out/fittrackee-$target" 2>/dev/null || true
        echo "$target: dist/out/fittrackee-$target ($(du -k "dist/out/fittrackee-$target" | cut -f1) KiB)"
    else
        exit 1
    fi
done
