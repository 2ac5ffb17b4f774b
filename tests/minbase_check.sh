#!/bin/sh
# Checks the README's two commands on a fresh minimal Debian 12, as a newcomer would type them:
# a debootstrap --variant=minbase bookworm chroot (no make, no g++, no sudo), this repository's
# committed HEAD cloned into it, then
#   1. a plain user without sudo: `sh .ci/bootstrap demo` and `sh .ci/bootstrap test` must each
#      print the one install command and stop with a non-zero status, before anything is built;
#   2. root: the same two commands must install make, g++, doctest and fmt, build, run the demo
#      and pass every test;
#   3. the plain user again, now that root has installed the packages: `sh .ci/bootstrap demo`
#      must build and run in the user's own clone.
# Each step prints its status, its wall time and the end of its output; the whole output of each
# step is kept in build/minbase_check/. Not part of CI: it needs root, the Debian mirror and, on
# a 2-core machine, half an hour or more.
#
#     sh tests/minbase_check.sh        (as root, from anywhere)
set -eu

repo=$(cd "$(dirname "$0")/.." && pwd)
logs=$repo/build/minbase_check
if [ "$(id -u)" != 0 ]; then
    echo "minbase_check: run as root (debootstrap and chroot need it)" >&2
    exit 1
fi

# The mirror this machine's apt already uses (one-line or deb822 sources), deb.debian.org if none.
mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
    2>/dev/null | awk '
        /^deb / { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }
        /^URIs:/ { print $2; exit }' | grep -v security | head -n 1)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d /var/tmp/glimpse-minbase.XXXXXX)
root=$work/chroot
mkdir -p "$logs"

# Unmounts whatever is still mounted inside the chroot (deepest first); removes it only when
# nothing is left mounted, so that rm can never reach the host's /proc or /dev.
cleanup() {
    for mount_point in $(awk -v r="$root/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r); do
        umount "$mount_point" || umount -l "$mount_point" || true
    done
    if awk -v r="$root/" 'index($2, r) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
        echo "minbase_check: something is still mounted under $root; left in place" >&2
    else
        rm -rf --one-file-system "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

failures=0
# step NAME EXPECT COMMAND...: runs COMMAND, its output to build/minbase_check/NAME.log; EXPECT is
# "ok" (status 0) or "refuse" (status non-zero and the one install command printed).
step() {
    name=$1 expect=$2
    shift 2
    echo "== $name: $*"
    start=$(date +%s)
    status=0
    "$@" >"$logs/$name.log" 2>&1 || status=$?
    seconds=$(($(date +%s) - start))
    tail -n "${TAIL_LINES:-12}" "$logs/$name.log" | sed 's/^/   | /'
    verdict=PASS
    case $expect in
        ok) [ "$status" = 0 ] || verdict=FAIL ;;
        refuse)
            if [ "$status" = 0 ] ||
                ! grep -q "apt-get install -y make g++ doctest-dev libfmt-dev" "$logs/$name.log"; then
                verdict=FAIL
            fi
            ;;
    esac
    [ "$verdict" = PASS ] || failures=$((failures + 1))
    echo "-> $verdict: exit status $status, ${seconds} s wall"
}

# Runs a command in the chroot as USER (root or learner) from their clone, with a clean login-like
# environment and no terminal on stdin (as in a script; --step would not pause).
in_chroot() {
    user=$1
    shift
    home=/root
    [ "$user" = root ] || home=/home/$user
    chroot --userspec="$user:$user" "$root" env -i HOME="$home" USER="$user" LANG=C.UTF-8 \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        sh -c "cd $home/glimpse && $*" </dev/null
}

host_setup() {
    command -v debootstrap >/dev/null ||
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap; }
}

clone_both() {
    git clone --quiet "$repo" "$root/home/learner/glimpse"
    chroot "$root" chown -R learner:learner /home/learner/glimpse
    git clone --quiet "$repo" "$root/root/glimpse"
}

# A setup step that fails ends the check: nothing after it would mean anything.
setup() {
    step "$@"
    [ "$failures" = 0 ] || exit 1
}

echo "minbase_check: HEAD $(git -C "$repo" log -1 --format=%h), mirror $mirror, chroot $root"
echo "minbase_check: full logs in $logs"
TAIL_LINES=2 setup host-debootstrap ok host_setup
TAIL_LINES=2 setup debootstrap ok debootstrap --variant=minbase bookworm "$root" "$mirror"
mount -t proc proc "$root/proc"
TAIL_LINES=2 setup add-user ok chroot "$root" useradd --create-home --shell /bin/sh learner
TAIL_LINES=2 setup clone ok clone_both
echo "   missing in the chroot: $(for tool in make g++ sudo; do
    chroot "$root" sh -c "command -v $tool >/dev/null" || printf '%s ' "$tool"
done)"

step user-demo refuse in_chroot learner sh .ci/bootstrap demo
step user-test refuse in_chroot learner sh .ci/bootstrap test
TAIL_LINES=25 step root-demo ok in_chroot root sh .ci/bootstrap demo
TAIL_LINES=20 step root-test ok in_chroot root sh .ci/bootstrap test
TAIL_LINES=8 step user-demo-after-install ok in_chroot learner sh .ci/bootstrap demo

echo "minbase_check: $failures step(s) failed"
[ "$failures" = 0 ]
