# Shared helpers for the raftswarm shell scripts (sourced, not executed).
# shellcheck shell=bash

RAFTSWARM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

say()  { printf '%s\n' "$*" >&2; }
step() { printf '==> %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

require_root() {
  [ "$(id -u)" = 0 ] || die "$1 needs root (network namespaces, dockerd, sshd); run it with sudo"
}

# Maven resolves what it needs from Maven Central on first use; RAFTSWARM_OFFLINE=1 is the
# explicit opt-in for machines without network (everything must already be in the local
# repository then). MAVEN_OPTS=-Dmaven.repo.local=DIR picks another local repository
# (scripts/test builds with an empty one to prove the fresh-machine path).
maven_offline_flag() { [ "${RAFTSWARM_OFFLINE:-0}" = 1 ] && printf '%s' -o || true; }

# Milliseconds since the epoch, for the timings the scripts print.
now_ms() { date +%s%3N; }

# "12.3 s" from two now_ms values.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s", (b - a) / 1000 }'; }

# Human size of a file in MB (one decimal).
size_mb() { awk -v s="$(stat -c %s "$1")" 'BEGIN { printf "%.1f MB", s / 1048576 }'; }

# Installs the Debian packages whose commands are missing. Args: pairs "command:package".
ensure_debian_packages() {
  local missing=() pair
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 \
    || die "missing commands for packages ${missing[*]} and no apt-get; install them by hand"
  step "installing ${missing[*]} from Debian"
  apt-get update -qq >&2 \
    || die "apt-get update failed; check the machine's Debian sources (/etc/apt/sources.list*)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2 \
    || die "apt-get install ${missing[*]} failed; install them by hand and retry"
}

# lab_ssh KEY KNOWN_HOSTS ADDR CMD...: runs CMD as root on a lab host the way raftswarm does,
# independent of the login shell's startup files: PATH of its own, and stdout only from a marker
# on (a lab host may have a noisy ~/.bashrc on purpose: LAB_SLOW_SHELL). Exit status is CMD's.
lab_ssh() {
  local key=$1 known=$2 addr=$3; shift 3
  ssh -i "$key" -o IdentitiesOnly=yes -o BatchMode=yes -o UserKnownHostsFile="$known" \
    -o StrictHostKeyChecking=yes -o ConnectTimeout=10 "root@$addr" \
    "printf '\\n\\036RS\\n'; PATH=/usr/sbin:/usr/bin:/sbin:/bin; $*" | sed '1,/^\x1eRS$/d'
  return "${PIPESTATUS[0]}"
}
