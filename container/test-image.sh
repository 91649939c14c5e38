#!/usr/bin/env bash
# Tests the container image (Containerfile) and compose.yaml with podman, offline: models come from a
# loopback mirror of ../shared/models' for-tests files, audio from a loopback file server.
#  1. builds the image (BASE_IMAGE, else a Debian 12 + openjdk-17-jre-headless base made here with
#     debootstrap, cached under a tag named by its package list), prints its size;
#  2. WHISPER_MODEL_SIZE=small: ready, POST /transcribe {"audio_url"} 200, one model load, java is PID 1,
#     its RSS, the health check, SIGTERM exits 0 within the grace; the same image ID with
#     WHISPER_MODEL_SIZE=medium loads medium and answers; a start with the model cached, timed to /ready;
#  3. --read-only with --user 12345:0 (an arbitrary UID, as OpenShift runs it): ready, answers, no
#     warning about the native cache;
#  4. compose.yaml: docker-compose (against podman's API socket) up, the plan's curl, down, up with
#     medium, down; only `config` where no compose tool can run, saying why;
#  5. WHISPER_API_KEY: 401 without it, 200 with it, /ready open.
# Usage: bash container/test-image.sh   (after mvn package; run-tests.sh runs it). As root on Debian it
# installs what it lacks (podman, runc, debootstrap, docker-compose, curl, python3). It skips, saying
# why, where containers cannot run; it fails on anything else. Takes 5-10 min on 2 cores (plus about 6
# for the base image the first time).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SHARED=${WHISPER_SHARED_DIR:-$ROOT/../shared}
JAR=whisper-server/target/whisper-server.jar
skip() { echo "container/test-image.sh: SKIPPED: $*"; exit 0; }
fail() { echo "container/test-image.sh: FAILED: $*" >&2; exit 1; }
say() { echo "== $*"; }

[ "$(uname -s)" = Linux ] || skip "containers need Linux (this is $(uname -s))"
[ -f "$JAR" ] || fail "$JAR is missing: build it first (mvn -B -pl whisper-server -am package -DskipTests)"
[ -d "$SHARED/models" ] || fail "no test data at $SHARED (WHISPER_SHARED_DIR)"

need=()
command -v podman >/dev/null || need+=(podman)
command -v runc >/dev/null || need+=(runc)
command -v curl >/dev/null || need+=(curl)
command -v python3 >/dev/null || need+=(python3)
command -v docker-compose >/dev/null || need+=(docker-compose)
[ -n "${BASE_IMAGE:-}" ] || command -v debootstrap >/dev/null || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing: ${need[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } \
      || echo "could not install ${need[*]}"
  fi
fi
command -v podman >/dev/null || skip "podman is not installed and could not be installed here (needs root and apt-get)"
command -v curl >/dev/null && command -v python3 >/dev/null || skip "curl and python3 are needed and could not be installed"
# Machines that run these tests are often containers themselves: no systemd (cgroupfs), ulimits podman
# may not raise; runc where it is installed (the runtime these settings were checked with).
export CONTAINERS_CONF=$ROOT/container/containers.conf
PODMAN=(podman)
command -v runc >/dev/null && PODMAN=(podman --runtime runc)
pm() { "${PODMAN[@]}" "$@" 2> >(grep -v 'systemd connection\|level=error msg="Removing timer' >&2); }
info=$(pm info 2>&1) || skip "podman cannot run here: $(echo "$info" | grep -m1 -i error || echo "$info" | tail -1)"

WORK=$(mktemp -d /var/tmp/whisper-image-test.XXXXXX)
RUN_ID=wit$$
PIDS=()
FAILURES=()
cleanup() {
  set +e
  for c in $(pm ps -a --format '{{.Names}}' | grep "^$RUN_ID"); do pm rm -f -t 0 "$c" >/dev/null; done
  for v in $(pm volume ls --format '{{.Name}}' | grep "^$RUN_ID"); do pm volume rm -f "$v" >/dev/null; done
  for n in $(pm network ls --format '{{.Name}}' | grep "^$RUN_ID"); do pm network rm -f "$n" >/dev/null; done
  pm rmi -f "localhost/whisper-server:$RUN_ID" ${STAGE_IMAGES:-} >/dev/null 2>&1
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# --- the base image -------------------------------------------------------------------------------
if [ -n "${BASE_IMAGE:-}" ]; then
  base=$BASE_IMAGE
else
  [ "$(id -u)" = 0 ] || skip "no BASE_IMAGE given, and making one with debootstrap needs root"
  command -v debootstrap >/dev/null || skip "no BASE_IMAGE given and no debootstrap to make one"
  packages="openjdk-17-jre-headless"
  base=localhost/whisper-java-jre17:$(echo "debootstrap minbase bookworm $packages" | sha256sum | cut -c1-12)
  if pm image exists "$base"; then
    say "base image $base (cached)"
  else
    # the Debian mirror apt uses here: no other network is needed
    # either list may be missing (a machine with deb822 sources only has no sources.list): under
    # pipefail a grep that cannot open one must not end the script
    mirror=$( { grep -hsE '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' || true;
                grep -hsE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                  | sed 's/\[[^]]*\]//' | awk '{print $2}' || true; } | grep -E '/debian/?$' | head -1 || true)
    mirror=${mirror:-http://deb.debian.org/debian}
    say "making base image $base: debootstrap bookworm + $packages from $mirror"
    t0=$(now)
    debootstrap --variant=minbase --include="$packages" bookworm "$WORK/rootfs" "$mirror" >"$WORK/debootstrap.log" 2>&1 \
      || { tail -20 "$WORK/debootstrap.log"; fail "debootstrap failed"; }
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -c . | pm import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$base" >/dev/null
    rm -rf "$WORK/rootfs"
    say "base image made in $(since "$t0") s"
  fi
fi
out=$(pm run --rm --network host "$base" java -version 2>&1) || skip "podman cannot run a container here: $(echo "$out" | tail -2)"

# --- 1. build -------------------------------------------------------------------------------------
IMAGE=localhost/whisper-server:$RUN_ID
say "building $IMAGE on $base"
t0=$(now)
# --format docker keeps the HEALTHCHECK (the OCI format has none)
dangling_before=$(pm images -q -f dangling=true | sort)
pm build --isolation chroot --network host --format docker --build-arg BASE_IMAGE="$base" \
  -t "$IMAGE" -f Containerfile . >"$WORK/build.log" 2>&1 || { tail -30 "$WORK/build.log"; fail "podman build failed"; }
IMAGE_ID=$(pm image inspect --format '{{.Id}}' "$IMAGE")
# the build stage's image (Containerfile's `folders`), removed with the test image at the end
STAGE_IMAGES=$(comm -13 <(echo "$dangling_before") <(pm images -q -f dangling=true | sort) | tr '\n' ' ')
size=$(pm image inspect --format '{{.Size}}' "$IMAGE")
base_size=$(pm image inspect --format '{{.Size}}' "$base")
REPORT=("image: $((size / 1000000)) MB ($(((size - base_size) / 1000000)) MB over the base $base), built in $(since "$t0") s")
say "${REPORT[0]}"

# --- the loopback mirror and file server ------------------------------------------------------------
# The mirror lays files out as the catalogue names them (models/catalog.tsv), each with a .sha256 beside
# it: the catalogue has no checksum for these quantized files, and the for-tests files are not the
# published ones anyway. Silero's published SHA-256 is in the catalogue and the shared file is genuine.
mkdir -p "$WORK/web/models" "$WORK/web/audio"
cp "$SHARED/models/for-tests-ggml-small.bin" "$WORK/web/models/ggml-small-q5_1.bin"
cp "$SHARED/models/for-tests-ggml-medium.bin" "$WORK/web/models/ggml-medium-q5_0.bin"
cp "$SHARED/models/for-tests-silero-v6.2.0-ggml.bin" "$WORK/web/models/ggml-silero-v6.2.0.bin"
(cd "$WORK/web/models" && for f in ggml-small-q5_1.bin ggml-medium-q5_0.bin; do sha256sum "$f" >"$f.sha256"; done)
cp "$SHARED/audio/jfk.wav" "$WORK/web/audio/"
WEB_PORT=$(free_port)
# on all addresses: compose's containers (a bridge network) reach it through the host's address
python3 -m http.server --bind 0.0.0.0 --directory "$WORK/web" "$WEB_PORT" >"$WORK/web.log" 2>&1 &
PIDS+=($!)
HOST_IP=$(hostname -I 2>/dev/null | awk '{print $1}')
HOST_IP=${HOST_IP:-host.containers.internal}
MIRROR=http://127.0.0.1:$WEB_PORT/models
AUDIO=http://127.0.0.1:$WEB_PORT/audio/
for _ in $(seq 50); do curl -sf -o /dev/null "$MIRROR/ggml-small-q5_1.bin.sha256" && break; sleep 0.1; done

# --- helpers ------------------------------------------------------------------------------------
PORT=$(free_port)
# start NAME [podman run options...]: a container on the host's network, listening on $PORT
start() {
  local name=$RUN_ID-$1
  shift
  pm run -d --name "$name" --network host -e WHISPER_SERVER_PORT="$PORT" -e WHISPER_MODEL_BASE_URL="$MIRROR" \
    -e WHISPER_SERVER_ALLOW_URL_PREFIX="$AUDIO" "$@" "$IMAGE_ID" >/dev/null
}
logs() { pm logs "$RUN_ID-$1" 2>&1; }
# wait_ready NAME [URL]: until /ready is 200; fails at once if the container ends
wait_ready() {
  local url=${2:-http://127.0.0.1:$PORT/ready}
  for _ in $(seq 1500); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ] && return 0
    if [ -n "$1" ] && [ "$(pm inspect --format '{{.State.Running}}' "$RUN_ID-$1")" != true ]; then
      logs "$1" | tail -30; fail "$1 ended before it was ready"
    fi
    sleep 0.2
  done
  [ -n "$1" ] && logs "$1" | tail -30
  fail "${1:-compose} not ready within 300 s"
}
# transcribe [curl options...]: POST /transcribe of jfk.wav by URL; prints the status code
transcribe() {
  curl -s -o "$WORK/answer.json" -w '%{http_code}' --max-time 600 "$@" -X POST "http://127.0.0.1:$PORT/transcribe" \
    -H 'Content-Type: application/json' -d "{\"audio_url\": \"${AUDIO}jfk.wav\", \"language\": \"en\", \"fit_window\": true}"
}
expect_answer() {
  local code
  code=$(transcribe "${@:2}")
  [ "$code" = 200 ] || { cat "$WORK/answer.json"; echo; logs "$1" | tail -20; fail "$1: POST /transcribe answered $code"; }
  grep -q '"segments"' "$WORK/answer.json" || fail "$1: not a transcript: $(cat "$WORK/answer.json")"
}
rss() { pm exec "$RUN_ID-$1" awk '/^VmRSS/ {r=$2} /^VmHWM/ {h=$2} END {printf "%d MB (peak %d MB)", r/1024, h/1024}' /proc/1/status; }
# stop NAME: SIGTERM with 40 s before SIGKILL; the server must exit 0 well within its 30 s grace
stop() {
  local t0 took code
  t0=$(now)
  pm stop -t 40 "$RUN_ID-$1" >/dev/null
  took=$(since "$t0")
  code=$(pm inspect --format '{{.State.ExitCode}}' "$RUN_ID-$1")
  [ "$code" = 0 ] || { logs "$1" | tail -20; fail "$1 exited with $code after SIGTERM"; }
  awk -v t="$took" 'BEGIN { exit !(t < 30) }' || fail "$1 took $took s to stop"
  echo "$took"
}

# --- 2. small, then medium from the same image ------------------------------------------------------
pm volume create "$RUN_ID-models" >/dev/null
say "WHISPER_MODEL_SIZE=small (downloads small and the VAD model into a fresh volume)"
t0=$(now)
start small -e WHISPER_MODEL_SIZE=small -v "$RUN_ID-models:/models"
wait_ready small
ready_first=$(since "$t0")
[ "$(pm exec "$RUN_ID-small" cat /proc/1/comm)" = java ] || fail "java is not PID 1: SIGTERM would not reach it"
pm healthcheck run "$RUN_ID-small" >/dev/null || fail "the image's HEALTHCHECK says unhealthy while /ready is 200"
expect_answer small
loads=$(logs small | grep -c 'no tensors loaded from model file' || true)
[ "$loads" = 1 ] || fail "small: $loads model loads in the log, expected 1"
logs small | grep -q 'model ggml-small-q5_1.bin loaded' || fail "small: no 'model ggml-small-q5_1.bin loaded' in the log"
rss_small=$(rss small)
stop_small=$(stop small)
REPORT+=("small (for-tests): start to /ready $ready_first s with the downloads; RSS after one transcription $rss_small; SIGTERM to exit 0: $stop_small s")
say "${REPORT[-1]}"

say "WHISPER_MODEL_SIZE=medium, the same image ID ${IMAGE_ID:0:12}"
start medium -e WHISPER_MODEL_SIZE=medium -v "$RUN_ID-models:/models"
wait_ready medium
logs medium | grep -q 'model ggml-medium-q5_0.bin loaded (medium' || { logs medium | tail; fail "medium was not loaded"; }
expect_answer medium
[ "$(pm inspect --format '{{.Image}}' "$RUN_ID-medium")" = "$IMAGE_ID" ] || fail "medium ran another image"
rss_medium=$(rss medium)
stop_medium=$(stop medium)
REPORT+=("medium (for-tests): RSS after one transcription $rss_medium; SIGTERM to exit 0: $stop_medium s")
say "${REPORT[-1]}"

# --- 5. the API key, on a start with the model cached ---------------------------------------------
say "WHISPER_API_KEY, model cached: start to /ready"
t0=$(now)
start key -e WHISPER_MODEL_SIZE=small -e WHISPER_API_KEY=test-key-42 -v "$RUN_ID-models:/models"
wait_ready key
ready_cached=$(since "$t0")
logs key | grep -q 'downloading' && fail "the cached model was downloaded again"
code=$(transcribe)
[ "$code" = 401 ] || fail "without the key: $code, expected 401"
code=$(transcribe -H 'Authorization: Bearer wrong')
[ "$code" = 401 ] || fail "with a wrong key: $code, expected 401"
expect_answer key -H 'Authorization: Bearer test-key-42'
for p in health ready metrics; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/$p")
  [ "$code" = 200 ] || fail "/$p without the key: $code, expected 200"
done
stop key >/dev/null
REPORT+=("start to /ready with the model cached: $ready_cached s (podman run included); API key: 401 without, 200 with")
say "${REPORT[-1]}"

# --- 3. read-only, arbitrary UID -------------------------------------------------------------------
# /tmp as docker users must give it (--tmpfs /tmp is noexec there unless told exec): the natives are
# extracted there, and a library on a noexec mount cannot be mapped
say "--read-only --user 12345:0, a fresh volume"
pm volume create "$RUN_ID-models-ro" >/dev/null
start ro --read-only --tmpfs /tmp:rw,exec --user 12345:0 -e WHISPER_MODEL_SIZE=small -v "$RUN_ID-models-ro:/models"
wait_ready ro
expect_answer ro
[ "$(pm exec "$RUN_ID-ro" id -u)" = 12345 ] || fail "not running as uid 12345"
if logs ro | grep -iE 'native cache|natives-[0-9]' | grep -v 'loaded from /tmp/whisper-java-natives/'; then
  fail "a native cache message under an arbitrary UID (above)"
fi
logs ro | grep -q 'loaded from /tmp/whisper-java-natives/' || fail "natives not loaded from WHISPER_NATIVE_CACHE"
pm healthcheck run "$RUN_ID-ro" >/dev/null || fail "unhealthy under --read-only"
stop ro >/dev/null
REPORT+=("--read-only --tmpfs /tmp:exec --user 12345:0: ready, answers, no native cache warning")
say "${REPORT[-1]}"

# --- 4. compose -------------------------------------------------------------------------------------
compose_check() {
  local sock=$WORK/podman.sock project=$RUN_ID-compose api_port
  api_port=$(free_port)
  # the project's containers are on a bridge network: the mirror and audio through the host's address
  cat >"$WORK/compose.test.yaml" <<EOF
services:
  api:
    environment:
      WHISPER_MODEL_BASE_URL: http://$HOST_IP:$WEB_PORT/models
      WHISPER_SERVER_ALLOW_URL_PREFIX: http://$HOST_IP:$WEB_PORT/audio/
EOF
  "${PODMAN[@]}" system service --time=0 "unix://$sock" >"$WORK/podman-service.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
  export DOCKER_HOST=unix://$sock API_PORT=$api_port WHISPER_SERVER_IMAGE=$IMAGE
  local dc=(docker-compose -p "$project" -f compose.yaml -f "$WORK/compose.test.yaml")
  for size in small medium; do
    say "WHISPER_MODEL_SIZE=$size docker-compose up api"
    WHISPER_MODEL_SIZE=$size "${dc[@]}" up api >"$WORK/compose-$size.log" 2>&1 &
    local up=$!
    PIDS+=($up)
    wait_ready "" "http://127.0.0.1:$api_port/ready" || return 1
    if [ $size = small ]; then
      # the plan's command as it stands: no Content-Type, so curl -d sends a form's
      code=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' --max-time 600 -X POST \
        "http://localhost:$api_port/transcribe" -d "{\"audio_url\":\"http://$HOST_IP:$WEB_PORT/audio/jfk.wav\"}")
      [ "$code" = 200 ] || FAILURES+=("the plan's curl -X POST .../transcribe -d '{\"audio_url\":...}' (no Content-Type) answered $code: $(head -c 160 "$WORK/answer.json")")
    fi
    code=$(curl -s -o "$WORK/answer.json" -w '%{http_code}' --max-time 600 -X POST "http://localhost:$api_port/transcribe" \
      -H 'Content-Type: application/json' -d "{\"audio_url\":\"http://$HOST_IP:$WEB_PORT/audio/jfk.wav\",\"fit_window\":true}")
    [ "$code" = 200 ] || { echo "$size answered $code: $(head -c 300 "$WORK/answer.json")"; return 1; }
    grep -q "\"model\":\"ggml-$size-q5_[01].bin\"" "$WORK/answer.json" || { echo "not $size: $(cat "$WORK/answer.json")"; return 1; }
    "${dc[@]}" down >>"$WORK/compose-$size.log" 2>&1 || { tail "$WORK/compose-$size.log"; return 1; }
    wait "$up" || { tail "$WORK/compose-$size.log"; echo "docker-compose up api ended with $?"; return 1; }
    grep -q 'stopped' "$WORK/compose-$size.log" || { tail "$WORK/compose-$size.log"; echo "no clean stop"; return 1; }
  done
  "${dc[@]}" down -v >/dev/null 2>&1
}
# `podman compose` (podman 4.7 and later) runs docker-compose or podman-compose itself; docker-compose
# against podman's API socket is what works from podman 3 on, so that is what this tests.
if ! command -v docker-compose >/dev/null; then
  REPORT+=("compose.yaml: NOT TESTED: no docker-compose here, and none could be installed")
elif ! docker-compose -f compose.yaml config -q; then
  fail "compose.yaml is not valid (docker-compose config, above)"
elif compose_check; then
  REPORT+=("compose.yaml: docker-compose $(docker-compose version --short 2>/dev/null) on podman's socket: up small, curl, down, up medium, curl, down")
else
  fail "compose.yaml: docker-compose could not bring api up, get an answer and down (above)"
fi
say "${REPORT[-1]}"

printf '  %s\n' "${REPORT[@]}"
[ ${#FAILURES[@]} = 0 ] || { printf '  FAILED: %s\n' "${FAILURES[@]}"; fail "${#FAILURES[@]} check(s) above"; }
echo "container/test-image.sh: PASSED"
