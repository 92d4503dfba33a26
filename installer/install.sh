#!/usr/bin/env bash
# GreenTrainer Workbench — installer: Debian packages, BLAS selection, configure and build.
# Idempotent: running it again only re-checks packages and rebuilds what changed.
#
#   installer/install.sh            install packages, select OpenBLAS, configure and build
#                                   the two programs (gt, gt-workbench)
#   installer/install.sh --start    ... then start the workbench (no display: gt doctor + gt demo)
#   installer/install.sh --test     ... build every target and run the whole test suite
#                                   (ctest), and the parsers' fuzz harnesses over their
#                                   corpora (clang)
#   installer/install.sh --package  ... build the programs and their desktop files and make
#                                   the .deb (build/PRESET/greentrainer-workbench_*.deb)
#   installer/install.sh --deps-only    packages and BLAS selection only
#   --preset dev|release            build configuration (default: release)
#
# Needs Debian 12 (bookworm) or a recent Ubuntu, and root or sudo.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
preset=release
deps_only=0
then_do=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --deps-only) deps_only=1 ;;
        --start) then_do=start ;;
        --test) then_do=test ;;
        --package) then_do=package ;;
        --preset) preset="${2:?--preset needs a value (dev or release)}"; shift ;;
        --preset=*) preset="${1#*=}" ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    esac
    shift
done

die() { echo "install.sh: $*" >&2; exit 1; }

# --- platform and privileges -------------------------------------------------------------
[[ -r /etc/os-release ]] || die "cannot read /etc/os-release: this installer supports Debian 12 or Ubuntu only"
# shellcheck disable=SC1091
. /etc/os-release
case " ${ID:-} ${ID_LIKE:-} " in
    *" debian "*|*" ubuntu "*) ;;
    *) die "unsupported system '${PRETTY_NAME:-unknown}': this installer supports Debian 12 or Ubuntu only (apt-get and Debian's libtorch-dev are required)" ;;
esac
if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    die "installing packages needs root: run as root, or install sudo and run as a sudoer"
fi

packages=(
    build-essential cmake ninja-build pkg-config git
    libtorch-dev libopenblas0-openmp libgloo-dev
    qt6-base-dev libqcustomplot-dev libqcustomplot2.1-qt6 libqt6sql6-sqlite qt6-svg-dev
    libsqlite3-dev nlohmann-json3-dev libsentencepiece-dev libpcre2-dev zlib1g-dev
    xvfb xauth imagemagick x11-apps fonts-dejavu-core
)
# --test also replays the parsers' fuzz corpora, which needs clang's libFuzzer, and checks the
# installed layout and the .deb (man, desktop-file-validate, appstreamcli, dpkg-shlibdeps)
[[ "$then_do" == test ]] && packages+=(clang man-db desktop-file-utils appstream dpkg-dev)
[[ "$then_do" == package ]] && packages+=(dpkg-dev)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "==> installing ${#missing[@]} Debian packages: ${missing[*]}"
    "${SUDO[@]}" apt-get update -o Acquire::Languages=en
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y \
        -o DPkg::Lock::Timeout=900 --no-install-recommends "${missing[@]}"
else
    echo "==> all ${#packages[@]} Debian packages present"
fi

# --- BLAS: LibTorch on Debian uses the system libblas.so.3; reference BLAS is ~30x slower -----
arch_dir="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)"
for lib in libblas.so.3 liblapack.so.3; do
    alt="${lib}-$(basename "$arch_dir")"
    target="$arch_dir/openblas-openmp/$lib"
    if [[ -e "$target" ]]; then
        current="$(update-alternatives --query "$alt" 2>/dev/null | sed -n 's/^Value: //p')"
        if [[ "$current" != "$target" ]]; then
            echo "==> selecting OpenBLAS (OpenMP) for $lib (was: ${current:-none})"
            "${SUDO[@]}" update-alternatives --set "$alt" "$target"
        fi
    else
        echo "install.sh: warning: $target missing; LibTorch may fall back to slow reference BLAS" >&2
    fi
done

[[ $deps_only -eq 1 ]] && { echo "==> dependencies ready"; exit 0; }

# --- configure and build -----------------------------------------------------------------
cd "$root"
extra=()
[[ -n "${GT_SHARED_DIR:-}" ]] && extra+=("-DGT_SHARED_DIR=$GT_SHARED_DIR")
# the .deb installs under /usr; the man pages name the files where the package puts them
[[ "$then_do" == package ]] && extra+=("-DCMAKE_INSTALL_PREFIX=/usr")
echo "==> configuring (preset $preset)"
cmake --preset "$preset" "${extra[@]}" >/dev/null
# --start and a plain install build only what runs (gt, gt-workbench and the SentencePiece
# module); --package adds the generated desktop files; --test builds every test and benchmark.
case "$then_do" in
    test) targets=(all) ;;
    package) targets=(gt_apps gt_desktop_files) ;;
    *) targets=(gt_apps) ;;
esac
echo "==> building (preset $preset): ${targets[*]}"
started=$SECONDS
cmake --build --preset "$preset" --target "${targets[@]}"
bin="$root/build/$preset/app"
echo "==> built in $((SECONDS - started)) s: $bin/gt-workbench (GUI) and $bin/gt (CLI)"

case "$then_do" in
    test)
        echo "==> running the test suite"
        ctest --preset "$preset"
        echo "==> building the input parsers' fuzz harnesses (clang, preset fuzz)"
        cmake --preset fuzz "${extra[@]}" >/dev/null
        cmake --build --preset fuzz
        echo "==> replaying and mutating their corpora (a few seconds each)"
        exec ctest --preset fuzz ;;
    package)
        echo "==> making the .deb"
        (cd "$root/build/$preset" && cpack -G DEB)
        deb="$(ls -t "$root/build/$preset"/greentrainer-workbench_*.deb | head -n 1)"
        echo "==> package: $deb"
        echo "    install it with: sudo apt-get install $deb"
        echo "    check it on a clean Debian 12 root with: installer/test_deb.sh $deb" ;;
    start)
        if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
            echo "==> starting the workbench"
            exec "$bin/gt-workbench"
        fi
        echo "==> no display found: checking the machine (gt doctor), then the headless demo"
        "$bin/gt" doctor --no-bench
        exec "$bin/gt" demo ;;
esac
