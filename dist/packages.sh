# Sourced by the scripts that need Debian packages: `need_packages P...`
# installs those that are missing (apt-get update only when the install
# fails on a stale index), as root or through sudo.

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_packages() {
    local missing=()
    for package in "$@"; do dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package"); done
    [ ${#missing[@]} -eq 0 ] && return 0
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get install -y -qq "${missing[@]}" >/dev/null || {
        as_root apt-get update -qq && as_root apt-get install -y -qq "${missing[@]}" >/dev/null
    }
}
