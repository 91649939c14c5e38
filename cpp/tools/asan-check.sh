#!/usr/bin/env bash
# Runs the JNI shim under AddressSanitizer inside a real JVM: builds libwhisper-jni.so with
# -fsanitize=address (into target/asan, not the jar), preloads libasan into java, runs a workload of
# transcriptions and failure paths (LeakTest's probe, the crafted Ogg Vorbis streams, the bad-input,
# lifecycle and VAD tests, and the
# audio decoders: AudioDecoderTest and AudioFuzzTest's 40,000 mutated MP3/FLAC/Ogg/WAV files through
# miniaudio and stb_vorbis, which are compiled into the shim and so instrumented too), and fails on any
# invalid access ASan reports. LeakSanitizer cannot run inside a JVM (its exit-time tracer
# faults on the JVM's guard pages), so leaks are covered by LeakTest instead: 1,000 calls, flat RSS.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/target/asan
mkdir -p "$out"
# package, not install: the snapshot jars in ~/.m2 may belong to another checkout
mvn -B -q -DskipTests -pl whisper-jni,whisper-java package dependency:build-classpath \
    -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")} \
  cmake -S . -B "$out/build" -DWHISPER_JAVA_ASAN=ON -DWHISPER_JAVA_STAGE_DIR="$out/stage" > "$out/cmake.log"
cmake --build "$out/build" --target whisper-jni >> "$out/cmake.log"
natives=$out/stage/native/linux-x86_64
libasan=$(gcc -print-file-name=libasan.so)
cp=$(cat whisper-java/target/test-classpath.txt)
cp="whisper-java/target/classes:whisper-java/target/test-classes:$cp"
run() {
  LD_PRELOAD=$libasan \
  ASAN_OPTIONS="detect_leaks=0:handle_segv=0:allow_user_segv_handler=1:detect_odr_violation=0:log_path=$out/asan:fast_unwind_on_malloc=0" \
  java -XX:+UseSerialGC -Xss8m -Dwhisper.native.path="$natives" -Dwhisper.shared.dir="$root/../shared" \
       -Dwhisper.cpp.bin="$root/whisper-jni/target/cmake/whisper.cpp/bin" -cp "$cp" "$@"
}
rm -f "$out"/asan.*
echo "== LeakTest probe (1,000 transcriptions) under ASan"
run io.github.whisperjava.LeakTest\$Probe
echo "== crafted Ogg Vorbis streams (one per stb_vorbis bug class) under ASan"
run io.github.whisperjava.audio.CraftedVorbisTest\$Probe
echo "== bad input and lifecycle tests under ASan"
launcher=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' 2>/dev/null | head -1 || true)
if [ -z "$launcher" ]; then
  mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.3 >/dev/null
  launcher=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' | head -1)
fi
cp="$cp:$launcher"
run org.junit.platform.console.ConsoleLauncher --disable-banner --details=summary \
    --select-class io.github.whisperjava.BadInputTest --select-class io.github.whisperjava.LifecycleTest \
    --select-class io.github.whisperjava.VadTest \
    --select-class io.github.whisperjava.audio.AudioDecoderTest --select-class io.github.whisperjava.audio.AudioFuzzTest
reports=$(find "$out" -maxdepth 1 -name 'asan.*' | wc -l)
ours=$(find "$out" -maxdepth 1 -name 'asan.*' -exec grep -l "whisper_jni.c" {} + | wc -l || true)
audio=$(find "$out" -maxdepth 1 -name 'asan.*' -exec grep -lE "whisper_jni_audio.c|miniaudio.h|stb_vorbis.c" {} + | wc -l || true)
echo "ASan reports: $reports; with a frame in whisper_jni.c: $ours; in the audio decoders: $audio"
if [ "$reports" != "0" ]; then
  cat "$out"/asan.*
  exit 1
fi
echo "no invalid memory access under AddressSanitizer"
