#!/usr/bin/env bash
# Builds whisper-jni-cuda (ggml's CUDA backend, libggml-cuda.so, as a natives jar of its own) on Debian 12
# and runs its test on this machine, GPU or not. Not part of CI: the toolkit is a 2 GB download and the
# build takes long on few cores (docs/gpu.md has the figures). Installs, as root, what is missing:
# Debian's non-free component in apt's sources, nvidia-cuda-toolkit (CUDA 11.8) and
# nvidia-cuda-toolkit-gcc (g++-11: nvcc 11.8 refuses GCC 12, Debian 12's default).
#   CUDA_ARCHS="75-virtual;86-real" bash cpp/tools/build-cuda.sh   # other compute capabilities
# Times each step into target/build-cuda-times.txt of whisper-jni-cuda.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=whisper-jni-cuda/target
mkdir -p "$out"
times="$out/build-cuda-times.txt"
: > "$times"
step() { local name=$1; shift; local t0; t0=$(date +%s); "$@"; echo "$name: $(( $(date +%s) - t0 )) s ($(date -u +%FT%TZ))" | tee -a "$times"; }

install_toolkit() {
  if [ -x /usr/bin/nvcc ] && [ -x /usr/bin/cuda-g++ ]; then return; fi
  if ! apt-cache policy nvidia-cuda-toolkit | grep -q 'Candidate: [0-9]'; then
    cat > /etc/apt/sources.list.d/debian-nonfree.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: contrib non-free
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nvidia-cuda-toolkit nvidia-cuda-toolkit-gcc
}
step "install nvidia-cuda-toolkit" install_toolkit
/usr/bin/nvcc --version | tail -2

# whisper-jni and whisper-java first (the test needs them), then the CUDA module: configuring it builds
# libggml-cuda.so into ~/.cache/whisper-java/build/whisper.cpp-1.9.1-cuda-<key>/ (once)
archs=${CUDA_ARCHS:-75-virtual}
step "mvn install whisper-jni, whisper-java (no tests)" mvn -B -q install -pl whisper-jni,whisper-java -DskipTests
# Debian's nvcc 11.8 with g++-11 (cuda-g++): nvcc 11.8 refuses GCC 12. PATH without /usr/local: a machine
# with another CUDA there (this project's had a partial CUDA 13.0 in /usr/local/bin, without cuBLAS)
# would give nvcc 11.8 that CUDA's ptxas, which knows no sm_52 and fails CMake's compiler check.
step "mvn verify -P cuda (build libggml-cuda.so, test)" \
  env PATH=/usr/sbin:/usr/bin:/sbin:/bin CUDACXX=/usr/bin/nvcc CUDAHOSTCXX=/usr/bin/cuda-g++ \
  mvn -B verify -P cuda -pl whisper-jni-cuda "-Dwhisper.cuda.architectures=$archs"
jar=$(ls "$out"/whisper-jni-cuda-*.jar | grep -v sources | head -1)
echo "jar: $jar ($(stat -c %s "$jar") bytes)" | tee -a "$times"
unzip -l "$jar" | grep 'libggml-cuda' | tee -a "$times"
# the runtime libraries it needs and does not carry (docs/gpu.md names them)
so=$(ls ~/.cache/whisper-java/build/whisper.cpp-1.9.1-cuda-*/bin/libggml-cuda.so | head -1)
readelf -d "$so" | grep NEEDED | tee -a "$times"
