#!/usr/bin/env bash
# Builds a release `pipeline` that runs on a node without the Swift toolchain: the Swift standard
# library, Foundation (with its ICU data) and OpenBLAS (with libgfortran and libquadmath, which
# OpenBLAS's LAPACK part needs) are linked in statically. What the binary still loads is the C
# library and the C++ runtime the Swift runtime is written in: libc, libm, libstdc++ and libgcc_s,
# present on every glibc-based Linux. `pipeline submit` runs this binary when it exists.
#
#   scripts/build-static.sh      prints the binary's path: .build/static/pipeline
#
# It builds in its own scratch directory (.build/static-build), so that it and the ordinary
# `swift build -c release` do not keep recompiling over each other (their link flags differ).
# Needs libopenblas-dev (Debian's pthread flavour ships libopenblas.a) and gfortran's static
# runtime (libgfortran.a, libquadmath.a: the gcc that libgfortran-*-dev comes with).
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=.build/static-build
out=.build/static
die() { printf 'build-static: error: %s\n' "$*" >&2; exit 1; }

# Where the system's openblas.pc says the library is; its static archive must be there too.
system_pc=""
for dir in ${PKG_CONFIG_PATH:+${PKG_CONFIG_PATH//:/ }} /usr/lib/x86_64-linux-gnu/pkgconfig /usr/lib/aarch64-linux-gnu/pkgconfig \
           /usr/lib64/pkgconfig /usr/lib/pkgconfig /usr/share/pkgconfig; do
  [ -f "$dir/openblas.pc" ] && { system_pc="$dir/openblas.pc"; break; }
done
[ -n "$system_pc" ] || die "no openblas.pc found (install libopenblas-dev)"
libdir="$(sed -n 's/^libdir=//p' "$system_pc" | head -n 1)"
libdir="${libdir%/}"
[ -f "$libdir/libopenblas.a" ] || die "$system_pc: no libopenblas.a in libdir $libdir (install libopenblas-dev)"
for lib in libgfortran.a libquadmath.a; do
  [ -f "$(gcc -print-file-name="$lib" 2>/dev/null)" ] || die "$lib not found by 'gcc -print-file-name' (install gfortran)"
done

# A private openblas.pc whose library directory holds only the static archive: `-lopenblas` then
# finds libopenblas.a before any shared libopenblas.so on the default paths. SwiftPM reads
# PKG_CONFIG_PATH before the system directories.
mkdir -p "$out/pkgconfig" "$out/lib"
ln -sfn "$libdir/libopenblas.a" "$out/lib/libopenblas.a"
cat >"$out/pkgconfig/openblas.pc" <<EOF
# Written by scripts/build-static.sh: OpenBLAS linked statically, with its Fortran runtime.
Name: openblas
Description: OpenBLAS, static ($libdir/libopenblas.a)
Version: $(sed -n 's/^version=//p' "$system_pc" | head -n 1)
Libs: -L$PWD/$out/lib -lopenblas -l:libgfortran.a -l:libquadmath.a -lpthread -lm
Cflags: $(sed -n 's/^Cflags: *//p' "$system_pc" | sed "s|\${includedir}|$(sed -n 's/^includedir=//p' "$system_pc")|")
EOF

start=$(date +%s)
PKG_CONFIG_PATH="$PWD/$out/pkgconfig" swift build -c release --product pipeline --static-swift-stdlib \
  --scratch-path "$scratch" >&2
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)/pipeline"
cp -f "$bin" "$out/pipeline.tmp"
mv -f "$out/pipeline.tmp" "$out/pipeline"

# Check what it loads: nothing of the toolchain, no OpenBLAS or Fortran runtime.
loads="$(ldd "$out/pipeline")"
if grep -E 'libswift|libFoundation|lib_Foundation|libdispatch|libBlocksRuntime|openblas|gfortran|quadmath' <<<"$loads" >&2; then
  die "$out/pipeline still loads the libraries above"
fi
printf 'build-static: %s in %d s; it loads: %s\n' "$out/pipeline" $(( $(date +%s) - start )) \
  "$(awk '/=>|ld-linux/ {print $1}' <<<"$loads" | sed 's|.*/||' | tr '\n' ' ')" >&2
echo "$PWD/$out/pipeline"
