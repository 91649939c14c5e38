#!/usr/bin/env bash
# Runs the benchmarks from the repository root; results land in benchmarks/results/.
#   bash benchmarks/run.sh quick   # a handful of iterations on tiny/base: checks they still run (< 5 min)
#   bash benchmarks/run.sh full    # the matrix of benchmarks/README.md (about 40 minutes on 2 cores)
#   bash benchmarks/run.sh speed   # issue 9's goals side by side: fitted window, VAD, cold CLI, phases, floor (about 25 minutes)
#   bash benchmarks/run.sh live    # live transcription: end of speech to final, partials, sessions per model (about 12 minutes)
#   GPU_BACKEND=vulkan bash benchmarks/run.sh gpu   # the library on a GPU backend against whisper-cli with the same
#                                                   # backend module beside it (docs/gpu.md); cuda: GPU_BACKEND=cuda
# Extra JMH arguments after the mode are passed on (e.g. -p model=/path/to/ggml-small.en.bin).
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-quick}"; shift || true
mvn -B -q -DskipTests install
jar=benchmarks/target/benchmarks.jar
out=benchmarks/results; mkdir -p "$out"
jvm=(-Dwhisper.shared.dir=../shared -Dwhisper.cpp.bin=whisper-jni/target/cmake/whisper.cpp/bin
     -Dwhisper.floor=whisper-jni/target/cmake/whisper-floor -Dorg.slf4j.simpleLogger.defaultLogLevel=warn)
case "$mode" in
  quick)
    java "${jvm[@]}" -jar "$jar" TranscribeBenchmark -wi 0 -i 2 -p size=tiny,base -p clip=2s \
      -rf json -rff "$out/quick.json" "$@"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.FloorRunner tiny,base 2s 2 | tee "$out/quick-floor.jsonl"
    ;;
  full)
    java "${jvm[@]}" -jar "$jar" TranscribeBenchmark -p size=tiny,base,small -rf json -rff "$out/transcribe.json" "$@"
    java "${jvm[@]}" -jar "$jar" TranscribeBenchmark -p size=medium -p clip=2s -i 3 \
      -rf json -rff "$out/transcribe-medium.json" "$@"
    java "${jvm[@]}" -jar "$jar" LoadBenchmark -rf json -rff "$out/load.json"
    java "${jvm[@]}" -jar "$jar" ConcurrencyBenchmark -rf json -rff "$out/concurrency.json" | tee "$out/concurrency.log"
    java "${jvm[@]}" -jar "$jar" ThroughputBenchmark -rf json -rff "$out/throughput.json"
    java "${jvm[@]}" -jar "$jar" ResampleBenchmark -rf json -rff "$out/resample.json"
    java "${jvm[@]}" -jar "$jar" ContentionBenchmark -i 3 -rf json -rff "$out/contention.json"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.FloorRunner tiny,base,small 2s,11s,60s 5 | tee "$out/floor.jsonl"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.FloorRunner medium 2s 3 | tee -a "$out/floor.jsonl"
    : > "$out/memory.jsonl"
    for m in ../shared/models/for-tests-ggml-{tiny,base,small,medium,large}.bin \
             ~/.cache/whisper-java/fixtures/fixture-{tiny,base,small,medium}-q5_1-s42-v1.bin; do
      java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.MemoryProbe "$m" 4 | tee -a "$out/memory.jsonl"
    done
    ;;
  speed)
    # for-tests small: the whole graph of small with no weights, so a fitted result is kept and every path
    # decodes the same (nothing); the page cache is dropped before each cliCold run and checked with fincore
    small=../shared/models/for-tests-ggml-small.bin
    java "${jvm[@]}" -jar "$jar" 'TranscribeBenchmark\.(cli|cliCold|cliVad|libraryLoadOnce|libraryFitWindow|libraryVadFitWindow)$' \
      -p size=small -p model=$small -p clip=2s,5s,11s,60s,padded -wi 1 -i 3 -rf json -rff "$out/speed.json" "$@"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.Phases small $small 2s,5s,11s,60s,padded 2 | tee "$out/phases.jsonl"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.FloorRunner small 2s,5s,11s,60s,padded 3 full $small | tee "$out/speed-floor.jsonl"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.FloorRunner small 2s,5s,11s,60s,padded 3 fit $small | tee -a "$out/speed-floor.jsonl"
    ;;
  live)
    # tiny, base and small side by side, the random-weights fixture (decodes text) and whisper.cpp's
    # for-tests model (decodes none: the encoder's and the pipeline's share alone)
    java "${jvm[@]}" -jar "$jar" LiveBenchmark -p size=tiny,base,small -p weights=fixture,forTests \
      -rf json -rff "$out/live.json" "$@"
    java "${jvm[@]}" -cp "$jar" io.github.whisperjava.benchmarks.LiveCapacity tiny,base,small forTests,fixture 8 \
      | tee "$out/live-capacity.jsonl"
    ;;
  gpu)
    # Both paths on the GPU: whisper-cli is built with GGML_BACKEND_DL, so a libggml-<backend>.so in its folder
    # is loaded as ours is. The CLI uploads the model to the device and sets up its kernels on every
    # request; the library once, which is where loading once should pay off most.
    backend="${GPU_BACKEND:-vulkan}"
    mvn -B -q -DskipTests install -P "$backend" -pl "whisper-jni-$backend"
    gjar=$(ls "whisper-jni-$backend"/target/whisper-jni-"$backend"-*.jar | grep -v -- -sources | head -1)
    cli="benchmarks/target/whisper-cli-$backend"
    rm -rf "$cli"; cp -rL whisper-jni/target/cmake/whisper.cpp/bin "$cli"
    unzip -qjo "$gjar" "native/linux-x86_64-$backend/libggml-$backend.so" -d "$cli"
    java "${jvm[@]}" "-Dwhisper.cpp.bin=$cli" -cp "$jar:$gjar" org.openjdk.jmh.Main \
      'TranscribeBenchmark\.(cli|libraryLoadOnce|libraryLoadPerRequest)$' -p size=tiny,base,small -p clip=2s,11s \
      -wi 1 -i 3 -rf json -rff "$out/gpu-$backend.json" "$@"
    ;;
  *) echo "usage: $0 quick|full|speed|live|gpu [jmh args]" >&2; exit 2 ;;
esac
