#!/usr/bin/env bash
# GreenTrainer Workbench — install test of the .deb where a user would install it: a clean
# Debian 12 root (mmdebstrap from Debian's archive, cached between runs), the package installed
# with apt-get (dependencies resolved from the archive), and then, inside that root with no
# source tree: gt --version, gt doctor, gt plan and gt demo on the shipped starter model, the
# man pages and desktop files, and the workbench under Xvfb with a screenshot.
#
#   installer/test_deb.sh [DEB] [--out DIR] [--keep] [--fresh]
#     DEB      the package (default: the newest build/release/greentrainer-workbench_*.deb)
#     --out    where the screenshot and the logs go (default: build/deb-test)
#     --keep   leave the installed root in place (its path is printed)
#     --fresh  rebuild the cached base root
#
# Needs root (chroot, mounts) and the network to Debian's archive. A maintainer runs it after
# `installer/install.sh --package`; CI does not (it takes minutes of downloads).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
deb="" out="$root/build/deb-test" keep=0 fresh=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) out="${2:?--out needs a folder}"; shift ;;
        --keep) keep=1 ;;
        --fresh) fresh=1 ;;
        -h|--help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        -*) echo "test_deb.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
        *) deb="$1" ;;
    esac
    shift
done

die() { echo "test_deb.sh: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "needs root (chroot and mounts): run it as root or with sudo"
if [[ -z "$deb" ]]; then
    deb="$(ls -t "$root"/build/release/greentrainer-workbench_*.deb 2>/dev/null | head -n 1 || true)"
    [[ -n "$deb" ]] || die "no package given and none in build/release: run installer/install.sh --package"
fi
[[ -f "$deb" ]] || die "$deb: no such package"
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
command -v mmdebstrap >/dev/null || {
    echo "==> installing mmdebstrap"
    apt-get install -y --no-install-recommends mmdebstrap >/dev/null
}
command -v convert >/dev/null || die "ImageMagick's convert is needed for the screenshot (apt-get install imagemagick)"

mkdir -p "$out"
out="$(cd "$out" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/greentrainer"
base="$cache/bookworm-base.tar"
archives="$cache/apt-archives"   # downloaded .debs, kept between runs
mkdir -p "$cache" "$archives/partial"
failures=0 passed=0
check() { # check NAME COMMAND...: run inside the root, log, count
    local name="$1"; shift
    local t=$SECONDS
    if chroot "$sysroot" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        LANG=C.UTF-8 "$@" >"$out/$name.log" 2>&1; then
        echo "    ok    $name ($((SECONDS - t)) s)"
        passed=$((passed + 1))
    else
        echo "    FAIL  $name ($((SECONDS - t)) s): see $out/$name.log"
        tail -n 15 "$out/$name.log" | sed 's/^/          /'
        failures=$((failures + 1))
    fi
}

# --- a clean Debian 12 root ---------------------------------------------------------------
start=$SECONDS
if [[ $fresh -eq 1 || ! -s "$base" ]]; then
    echo "==> making a clean Debian 12 root (mmdebstrap, variant apt) into $base"
    mmdebstrap --quiet --variant=apt --format=tar bookworm "$base.tmp" && mv "$base.tmp" "$base"
fi
sysroot="$(mktemp -d /var/tmp/gt-deb-test.XXXXXX)"
cleanup() {
    for m in var/cache/apt/archives tmp/pkg dev/pts dev proc sys; do
        mountpoint -q "$sysroot/$m" && umount -l "$sysroot/$m"
    done
    if [[ $keep -eq 1 ]]; then echo "==> root kept at $sysroot"; else rm -rf "$sysroot"; fi
}
trap cleanup EXIT
tar -C "$sysroot" -xf "$base"
for m in proc sys dev dev/pts; do mkdir -p "$sysroot/$m"; mount --bind "/$m" "$sysroot/$m"; done
mkdir -p "$sysroot/tmp/pkg"
mount --bind "$archives" "$sysroot/var/cache/apt/archives"
cp "$deb" "$sysroot/tmp/pkg/"
cp /etc/resolv.conf "$sysroot/etc/resolv.conf"
echo "==> root ready in $((SECONDS - start)) s: $sysroot"
[[ -e "$sysroot$root" ]] && die "the source tree is visible inside the root ($root)"

# --- install as a user would --------------------------------------------------------------
start=$SECONDS
echo "==> apt-get install ./$(basename "$deb") inside the root"
chroot "$sysroot" apt-get -o Acquire::Languages=none update >"$out/apt-update.log" 2>&1 ||
    die "apt-get update failed inside the root: see $out/apt-update.log"
if ! chroot "$sysroot" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    -o APT::Keep-Downloaded-Packages=true "/tmp/pkg/$(basename "$deb")" >"$out/apt-install.log" 2>&1; then
    tail -n 20 "$out/apt-install.log" >&2
    die "installing the package failed: see $out/apt-install.log"
fi
echo "==> installed in $((SECONDS - start)) s ($(grep -c '^Setting up' "$out/apt-install.log") packages set up)"
# What the test itself needs to show the window (not a dependency of the package).
chroot "$sysroot" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    -o APT::Keep-Downloaded-Packages=true xvfb >"$out/apt-install-xvfb.log" 2>&1 ||
    die "installing xvfb inside the root failed: see $out/apt-install-xvfb.log"

# --- the programs, with no source tree ----------------------------------------------------
echo "==> checks inside the root"
starter=/usr/share/greentrainer/models/starter
check version gt --version
check doctor gt doctor
check plan gt plan --model "$starter" --rho 0.5
check demo gt demo --steps 2
check workbench-version gt-workbench --version
check files sh -c 'set -e
    for f in /usr/share/man/man1/gt.1.gz /usr/share/man/man1/gt-workbench.1.gz \
             /usr/share/applications/greentrainer-workbench.desktop \
             /usr/share/icons/hicolor/scalable/apps/greentrainer-workbench.svg \
             /usr/share/icons/hicolor/48x48/apps/greentrainer-workbench.png \
             /usr/share/icons/hicolor/256x256/apps/greentrainer-workbench.png \
             /usr/share/metainfo/org.greentrainer.workbench.metainfo.xml \
             /usr/share/doc/greentrainer-workbench/copyright \
             /usr/share/greentrainer/data/debian/train.jsonl.gz \
             /usr/share/greentrainer/power/cpu-tdp.csv \
             /usr/share/greentrainer/grid/us-ciso-2022-06.csv \
             /usr/lib/greentrainer/libgt_spm_shim.so; do
        test -s "$f" || { echo "missing: $f"; exit 1; }; echo "present: $f"; done
    zcat /usr/share/man/man1/gt.1.gz | grep -q "^\.SS train" || { echo "gt.1 lacks gt train"; exit 1; }'

# The workbench in a real X server: Xvfb writes its framebuffer to a file (XWD), turned into
# a PNG here. It must still be running after the wait and show the starter model.
rm -f "$out/workbench.png"
check workbench sh -c 'set -e
    mkdir -p /tmp/fb
    Xvfb :71 -screen 0 1400x900x24 -fbdir /tmp/fb -nolisten tcp >/tmp/xvfb.log 2>&1 &
    xvfb=$!
    sleep 2
    DISPLAY=:71 gt-workbench >/tmp/workbench.log 2>&1 &
    app=$!
    sleep 25
    kill -0 $app || { echo "gt-workbench exited:"; cat /tmp/workbench.log; exit 1; }
    cp /tmp/fb/Xvfb_screen0 /tmp/screen.xwd
    kill $app; wait $app 2>/dev/null || true; kill $xvfb
    cat /tmp/workbench.log'
if [[ -s "$sysroot/tmp/screen.xwd" ]]; then
    convert "xwd:$sysroot/tmp/screen.xwd" "$out/workbench.png"
    echo "    screenshot: $out/workbench.png"
fi

echo "deb-test: $passed passed, $failures failed"
[[ $failures -eq 0 ]]
