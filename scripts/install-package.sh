#!/usr/bin/env bash
# Installs spawnguard's Debian packages (from scripts/package.sh) with apt,
# which brings their dependencies from Debian. The Dockerfile and the GitHub
# Action install through this script; the package tests run it with --root.
#
#   scripts/install-package.sh DEB...              apt-get install the packages (root, or sudo)
#   scripts/install-package.sh --root DIR DEB...   check with apt that their dependencies resolve
#                                                  here, then only unpack them into DIR (dpkg-deb -x)
set -euo pipefail

root=
if [ "${1:-}" = --root ]; then
  [ $# -ge 2 ] || { echo "install-package.sh: --root needs a folder" >&2; exit 2; }
  root=$2
  shift 2
fi
case ${1:-} in
  -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
  '') echo "install-package.sh: no package: pass the .deb files (scripts/package.sh builds them)" >&2; exit 2 ;;
esac
debs=()
for deb in "$@"; do
  if [ ! -f "$deb" ] || ! dpkg-deb --info "$deb" >/dev/null 2>&1; then
    echo "install-package.sh: '$deb' is not a Debian package (.deb) file" >&2
    exit 2
  fi
  debs+=("$(realpath "$deb")")  # apt takes a local file only by a path with a slash
done

if [ -n "$root" ]; then
  # Resolve the packages' dependencies as the real install would, changing nothing.
  if ! apt_said=$(apt-get install --simulate --no-install-recommends "${debs[@]}" 2>&1); then
    echo "$apt_said" >&2
    echo "install-package.sh: apt cannot install ${debs[*]}: their dependencies do not resolve (above)" >&2
    exit 1
  fi
  mkdir -p "$root"
  for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$root"; done
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-package.sh: run as root (apt-get installs the packages)" >&2; exit 2; }
  sudo=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${debs[@]}"
