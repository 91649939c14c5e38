#!/usr/bin/env bash
# The main job of the README: build whisper-java (natives included) and transcribe ../shared/audio/jfk.wav.
# Uses real weights when any are present (WHISPER_TEST_MODEL, or ../shared/models/ggml-*.bin);
# otherwise the tiny for-tests model, which runs the whole pipeline but carries no weights (empty text).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
model="${WHISPER_TEST_MODEL:-}"
if [ -z "$model" ]; then
  model=$(ls -S -r "$shared"/models/ggml-*.bin 2>/dev/null | grep -v silero | head -n 1 || true)
fi
if [ -z "$model" ]; then
  model="$shared/models/for-tests-ggml-tiny.bin"
  echo "NOTE: no real weights in $shared/models; using $model, which transcribes to empty text." >&2
fi
mvn -B -q -DskipTests install
exec java -jar examples/target/transcribe.jar --model "$model" "$shared/audio/jfk.wav"
