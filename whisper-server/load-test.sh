#!/usr/bin/env bash
# Load test of `whisper-server.jar` on loopback: CLIENTS curl loops posting jfk.wav to the OpenAI
# endpoint for SECONDS, with the for-tests tiny model. Prints p50/p99 latency, throughput, answers by
# status, peak RSS, and RSS and thread count before, at the peak and 75 s after the load; then SIGTERM, and the exit status.
# Usage: bash whisper-server/load-test.sh [CLIENTS] [SECONDS]   (after mvn package; not part of the test suite)
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${1:-20}
SECONDS_=${2:-60}
SHARED=${WHISPER_SHARED_DIR:-../shared}
PORT=${PORT:-18931}
OUT=$(mktemp -d)
# What lets memory go back after a burst (docs/server.md): a periodic GC, and free ratios that
# let G1 shrink the heap it then finds unused (it keeps it by default); glibc with a fixed mmap
# threshold, so whisper's large buffers are unmapped when freed instead of kept for reuse in an
# arena, few arenas, and no cache of exited threads' stacks. The library frees idle whisper states
# after 60 s and Jetty its idle threads after 60 s, hence the 75 s wait at the end.
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
export GLIBC_TUNABLES=${GLIBC_TUNABLES:-glibc.malloc.mmap_threshold=131072:glibc.pthread.stack_cache_size=0}
JAVA_OPTS=${JAVA_OPTS:--XX:G1PeriodicGCInterval=5000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20}
WHISPER_MODEL_PATH="$SHARED/models/for-tests-ggml-tiny.bin" java $JAVA_OPTS -jar whisper-server/target/whisper-server.jar \
  --port "$PORT" --concurrency 2 --queue-timeout 30 >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
until curl -sf "http://127.0.0.1:$PORT/ready" >/dev/null; do sleep 0.5; done
rss() { awk '/VmRSS/{print $2}' /proc/$PID/status; }
# with JAVA_OPTS=...-XX:NativeMemoryTracking=summary, where the JVM's own memory is (heap, code, ...)
nmt() { jcmd $PID VM.native_memory summary 2>/dev/null | grep -E '^-  *(Java Heap|Class|Thread|Code|GC|Internal|Other|Metaspace|Arena)' \
          | sed -E 's/\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/\1 KiB/; s/^- +//' | tr -s ' ' | paste -sd';' || true; }
threads() { awk '/Threads/{print $2}' /proc/$PID/status; }
states() { curl -s "http://127.0.0.1:$PORT/metrics" | awk '/^whisper_states /{print $2}'; }
# The baseline is a server that has already seen load: a first burst (WARMUP seconds, all clients)
# grows what a JVM grows once and keeps (JIT-compiled code, class metadata, the heap's working size),
# then the server idles as long as the check after the real load waits. What the real load leaves on
# top of that baseline is what a service would keep per burst.
WARMUP=${WARMUP:-10}
post() { curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -F file=@"$SHARED/audio/jfk.wav" -F model=whisper-1 \
           "http://127.0.0.1:$PORT/v1/audio/transcriptions" || echo "000 0"; }
WEND=$((SECONDS + WARMUP))
WARM=()
for c in $(seq "$CLIENTS"); do ( while ((SECONDS < WEND)); do post >/dev/null; done ) & WARM+=($!); done
wait "${WARM[@]}"
echo "after a ${WARMUP} s warm-up burst: RSS $(rss) KiB, $(threads) threads; idling 75 s"
sleep 75
echo "baseline: RSS $(rss) KiB, $(threads) threads, $(states) whisper states"; nmt
BASE_RSS=$(rss); BASE_THREADS=$(threads)
( peak=0; pt=0; while kill -0 $PID 2>/dev/null; do r=$(rss); t=$(threads); ((r > peak)) && peak=$r; ((t > pt)) && pt=$t
  echo "$peak $pt" >"$OUT/peak"; sleep 0.5; done ) &
SAMPLER=$!
END=$((SECONDS + SECONDS_))
for c in $(seq "$CLIENTS"); do
  ( while ((SECONDS < END)); do
      post >>"$OUT/c$c"
    done ) &
done
wait $(jobs -p | grep -v "^$SAMPLER$" | grep -v "^$PID$") 2>/dev/null || true
cat "$OUT"/c* >"$OUT/all"
N=$(wc -l <"$OUT/all")
echo "requests: $N in ${SECONDS_} s ($(awk -v n="$N" -v s="$SECONDS_" 'BEGIN{printf "%.2f", n/s}')/s), by status:"
awk '{print $1}' "$OUT/all" | sort | uniq -c
sort -n -k2 "$OUT/all" | awk '{t[NR]=$2} END{printf "p50 %.2f s, p99 %.2f s, max %.2f s\n", t[int(NR*0.5)], t[int(NR*0.99)], t[NR]}'
echo "peak: RSS $(cut -d' ' -f1 "$OUT/peak") KiB, $(cut -d' ' -f2 "$OUT/peak") threads"
sleep 75
echo "75 s after: RSS $(rss) KiB (baseline $BASE_RSS), $(threads) threads (baseline $BASE_THREADS), $(states) whisper states"; nmt
kill -TERM $PID; wait $PID; echo "exit status after SIGTERM: $?"
kill $SAMPLER 2>/dev/null || true
tail -3 "$OUT/server.log"
