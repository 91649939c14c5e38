#!/usr/bin/env bash
# Throughput of the Spark job in local mode against whisper-java's CLI run once per file in a shell
# loop, over N copies of jfk.wav (11 s each) and the same model. Prints files/min and audio-minutes
# per CPU-minute (user + system time of every process the run started) for both.
#
# Needs spark/target/whisper-spark.jar and examples/target/transcribe.jar:
#   mvn -B package -DskipTests -P spark -pl spark,examples -am
# usage: spark/bench.sh [N] [MODEL]   (MVN_ARGS, e.g. -Dmaven.repo.local=..., is passed to Maven)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-40}
model=$(realpath "${2:-../shared/models/for-tests-ggml-tiny.bin}")
cores=$(nproc)
jar=spark/target/whisper-spark.jar
cli=examples/target/transcribe.jar
for f in "$jar" "$cli"; do [ -f "$f" ] || { echo "missing $f: build it first (see the top of this script)"; exit 1; }; done

# Spark itself is 'provided': here, as on a cluster, it comes from outside the job jar
cp_file=spark/target/spark-classpath.txt
if [ ! -s "$cp_file" ]; then
  mvn -B -q ${MVN_ARGS:-} -P spark -pl spark dependency:build-classpath \
      -Dmdep.includeScope=provided -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
fi
# org.apache.spark.launcher.JavaModuleOptions: what spark-submit adds on JDK 17
opens=$(sed -n 's:.*<spark.java.options>\(.*\)</spark.java.options>.*:\1:p' spark/pom.xml)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
for i in $(seq -w 1 "$n"); do cp ../shared/audio/jfk.wav "$work/in/jfk-$i.wav"; done
audio_min=$(echo "$n * 11 / 60" | bc -l)

report() {  # name wall user sys
  awk -v name="$1" -v n="$n" -v wall="$2" -v cpu="$(echo "$3 + $4" | bc -l)" -v audio="$audio_min" 'BEGIN {
    printf "%-28s %7.1f s wall %7.1f s CPU  %6.1f files/min  %6.2f audio-min per CPU-min\n",
           name, wall, cpu, n * 60 / wall, audio / (cpu / 60) }'
}

TIMEFORMAT='%R %U %S'
echo "$n files of 11 s, model $(basename "$model"), $cores cores, $(date -u +%F)"

t=$( { time java $opens -Xmx2g -Dspark.master="local[$cores]" -Dspark.ui.enabled=false \
         -Dwhisper.model.path="$model" -cp "$jar:$(cat "$cp_file")" \
         io.github.whisperjava.spark.TranscribeJob --input "$work/in" --output "$work/out" \
         >"$work/spark.log" 2>&1; } 2>&1 )
report "spark local[$cores]" $t
grep -q "committed ($n of $n files)" "$work/spark.log" || { echo "the Spark job did not finish"; tail -20 "$work/spark.log"; exit 1; }
# where the Spark run's time went: JVM and Spark start, model load, last commit
grep -E "Running Spark version|model loaded|committed" "$work/spark.log" | cut -c1-160 | sed 's/^/  /'

t=$( { time for f in "$work"/in/*.wav; do java -jar "$cli" -m "$model" "$f" >/dev/null 2>>"$work/cli.log"; done; } 2>&1 )
report "CLI, one JVM per file" $t

t=$( { time java -jar "$cli" -m "$model" -j "$cores" -t 1 "$work"/in/*.wav >/dev/null 2>>"$work/cli.log"; } 2>&1 )
report "CLI, one JVM, -j $cores -t 1" $t
