#!/usr/bin/env bash
# Installs what the aarch64 build and its tests need, when missing, from Debian's archive (never GitHub):
#   compiler  gcc/g++-aarch64-linux-gnu (cross-compilers with arm64 glibc and libstdc++)
#   runtime   qemu-user, and Debian's openjdk-17-jre-headless:arm64 with the one library it needs that
#             the cross toolchain's root (/usr/aarch64-linux-gnu) lacks, zlib1g:arm64, unpacked (dpkg -x,
#             no multiarch install) into ~/.cache/whisper-java/jre-arm64; prints that root (the JRE is
#             under usr/lib/jvm/java-17-openjdk-arm64, libz under lib/aarch64-linux-gnu)
set -euo pipefail
what="${1:?compiler or runtime}"
apt_install() {
  echo "installing: $*" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 \
    || { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2; }
}
case "$what" in
  compiler)
    command -v aarch64-linux-gnu-g++ >/dev/null || apt_install gcc-aarch64-linux-gnu g++-aarch64-linux-gnu
    ;;
  runtime)
    command -v qemu-aarch64 >/dev/null || apt_install qemu-user
    cache="${XDG_CACHE_HOME:-$HOME/.cache}/whisper-java"
    jre="$cache/jre-arm64"
    if [ ! -e "$jre/COMPLETE" ]; then
      # apt-get download needs the architecture known to apt, nothing installed for it
      if ! dpkg --print-foreign-architectures | grep -qx arm64; then
        dpkg --add-architecture arm64 && apt-get update -qq >&2
      fi
      debs=(openjdk-17-jre-headless:arm64 zlib1g:arm64)
      tmp="$(mktemp -d)"
      (cd "$tmp" && apt-get download -q "${debs[@]}" >&2) \
        || { apt-get update -qq >&2 && (cd "$tmp" && apt-get download -q "${debs[@]}" >&2); }
      rm -rf "$jre.tmp" && mkdir -p "$jre.tmp"
      for d in "$tmp"/*.deb; do dpkg -x "$d" "$jre.tmp"; done
      touch "$jre.tmp/COMPLETE"
      rm -rf "$tmp" "$jre" && mv "$jre.tmp" "$jre"
    fi
    echo "$jre"
    ;;
  *) echo "usage: $0 compiler|runtime" >&2; exit 2 ;;
esac
