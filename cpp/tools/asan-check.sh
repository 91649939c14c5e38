#!/usr/bin/env bash
# Runs the JNI shim under AddressSanitizer inside a real JVM: builds libwhisper-jni.so with
# -fsanitize=address (into target/asan, not the jar), preloads libasan into java, runs a workload of
# transcriptions and failure paths (LeakTest's probe, the bad-input and lifecycle tests), and fails
# if any ASan/LSan report has a frame in whisper_jni.c. The JVM's own allocations are not ours to
# judge, so reports without such a frame are counted but not failed on.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
out=$root/target/asan
mkdir -p "$out"
mvn -B -q -DskipTests install
JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")} \
  cmake -S . -B "$out/build" -DWHISPER_JAVA_ASAN=ON -DWHISPER_JAVA_STAGE_DIR="$out/stage" > "$out/cmake.log"
cmake --build "$out/build" --target whisper-jni >> "$out/cmake.log"
natives=$out/stage/native/linux-x86_64
libasan=$(gcc -print-file-name=libasan.so)
cp=$(cd whisper-java && mvn -B -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)
cp="whisper-java/target/classes:whisper-java/target/test-classes:$cp"
run() {
  LD_PRELOAD=$libasan \
  ASAN_OPTIONS="detect_leaks=1:handle_segv=0:allow_user_segv_handler=1:detect_odr_violation=0:log_path=$out/asan:fast_unwind_on_malloc=0" \
  java -XX:+UseSerialGC -Xss8m -Dwhisper.native.path="$natives" -Dwhisper.shared.dir="$root/../shared" \
       -Dwhisper.cpp.bin="$root/whisper-jni/target/cmake/whisper.cpp/bin" -cp "$cp" "$@"
}
rm -f "$out"/asan.*
echo "== LeakTest probe (1,000 transcriptions) under ASan"
run io.github.whisperjava.LeakTest\$Probe
echo "== bad input and lifecycle tests under ASan"
launcher=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' 2>/dev/null | head -1)
if [ -z "$launcher" ]; then
  mvn -B -q dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.11.3 >/dev/null
  launcher=$(find ~/.m2/repository/org/junit/platform/junit-platform-console-standalone -name '*.jar' | head -1)
fi
cp="$cp:$launcher"
run org.junit.platform.console.ConsoleLauncher --disable-banner --details=summary \
    --select-class io.github.whisperjava.BadInputTest --select-class io.github.whisperjava.LifecycleTest
reports=$(ls "$out"/asan.* 2>/dev/null | wc -l)
ours=$(grep -l "whisper_jni.c" "$out"/asan.* 2>/dev/null | wc -l || true)
echo "ASan report files: $reports (JVM-internal unless listed); with a frame in whisper_jni.c: $ours"
if [ "$ours" != "0" ]; then
  grep -l "whisper_jni.c" "$out"/asan.* | xargs cat
  exit 1
fi
echo "no leak or invalid access in our code"
