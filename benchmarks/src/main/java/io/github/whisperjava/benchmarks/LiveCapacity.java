package io.github.whisperjava.benchmarks;

import io.github.whisperjava.LiveBufferFullException;
import io.github.whisperjava.LiveListener;
import io.github.whisperjava.LivePartial;
import io.github.whisperjava.LiveTranscription;
import io.github.whisperjava.LiveUtterance;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.WhisperException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How many live sessions one model serves at real-time pace. For N = 1, 2, 4, ... sessions at once, each
 * streams {@link LiveAudio#conversation()} (two utterances, about 15 s) in 100 ms pieces at real-time pace,
 * starts staggered over the first second, partials every second; per N it prints one JSON line: end of
 * speech to final (wall time from when the audio at the VAD's end of speech was fed to the final event;
 * p50, p95, max), time between partials of one utterance (p50, p95), process CPU seconds per second of
 * audio per session, refused audio and finals missing (committed utterances without one). N sessions "keep up" when every final arrived,
 * nothing was refused and p95 stays under 2 s; it stops at the first N that does not, or at the largest N.
 *
 * <p>Not JMH: the quantity is a property of N concurrent real-time streams, not of one repeated operation.
 * Usage: {@code LiveCapacity <size,...> <fixture|forTests,...> <maxSessions>}
 */
public final class LiveCapacity {
    public static void main(String[] args) throws Exception {
        int max = Integer.parseInt(args[2]);
        for (String size : args[0].split(",")) {
            for (String weights : args[1].split(",")) {
                try (Whisper w = Whisper.load(LiveAudio.model(size, weights),
                        ModelOptions.defaults().withConcurrency(Runtime.getRuntime().availableProcessors()))) {
                    for (int n = 1; n <= max; n *= 2) {
                        Result r = run(w, n);
                        System.out.println(r.json(size, weights, n));
                        if (!r.keptUp()) {
                            break;
                        }
                    }
                }
            }
        }
    }

    record Result(List<Long> finals, List<Long> partialGaps, double cpuPerAudioSecond, long refusedMs, int missing) {
        boolean keptUp() {
            return missing == 0 && refusedMs == 0 && pct(finals, 95) < 2_000;
        }

        String json(String size, String weights, int n) {
            return String.format(Locale.ROOT, "{\"size\":\"%s\",\"weights\":\"%s\",\"sessions\":%d,"
                    + "\"finalMsP50\":%d,\"finalMsP95\":%d,\"finalMsMax\":%d,\"finals\":%d,"
                    + "\"partialGapMsP50\":%d,\"partialGapMsP95\":%d,\"partials\":%d,"
                    + "\"cpuSecondsPerAudioSecondPerSession\":%.3f,\"refusedMs\":%d,\"missingFinals\":%d,\"keptUp\":%b}",
                    size, weights, n, pct(finals, 50), pct(finals, 95), pct(finals, 100), finals.size(),
                    pct(partialGaps, 50), pct(partialGaps, 95), partialGaps.size(), cpuPerAudioSecond, refusedMs,
                    missing, keptUp());
        }
    }

    static long pct(List<Long> values, int p) {
        if (values.isEmpty()) {
            return -1;
        }
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** One session's stream and what its listener saw. */
    static final class Session implements LiveListener {
        final List<Long> finals = Collections.synchronizedList(new ArrayList<>());
        final List<Long> gaps = Collections.synchronizedList(new ArrayList<>());
        final Map<Integer, Long> speechEndMs = new ConcurrentHashMap<>();
        volatile long startNanos;
        volatile long refusedMs;
        volatile int committed;
        private long lastPartialNanos;
        private int lastPartialUtterance = -1;

        @Override
        public void onSpeechStopped(int utterance, long endMs) {
            speechEndMs.put(utterance, endMs);
        }

        @Override
        public void onCommitted(int utterance, long startMs, long endMs) {
            committed++;
            speechEndMs.putIfAbsent(utterance, endMs); // committed at the end of the stream, not by a stop
        }

        @Override
        public void onFinal(LiveUtterance u) {
            // the audio at the end of speech was fed at startNanos + its stream time (real-time pace)
            long fedAt = startNanos + TimeUnit.MILLISECONDS.toNanos(speechEndMs.get(u.utterance()));
            finals.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fedAt));
        }

        @Override
        public synchronized void onPartial(LivePartial p) {
            long now = System.nanoTime();
            if (p.utterance() == lastPartialUtterance) {
                gaps.add(TimeUnit.NANOSECONDS.toMillis(now - lastPartialNanos));
            }
            lastPartialUtterance = p.utterance();
            lastPartialNanos = now;
        }

        @Override
        public void onError(WhisperException e) {
            if (e instanceof LiveBufferFullException full) {
                refusedMs += full.refusedMs();
            }
        }
    }

    static Result run(Whisper w, int n) throws Exception {
        float[] audio = LiveAudio.conversation();
        int piece = LiveAudio.RATE / 10;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        List<Session> sessions = new ArrayList<>();
        List<Thread> feeders = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Session s = new Session();
            sessions.add(s);
            long stagger = 1_000L * i / n;
            Thread t = new Thread(() -> {
                try (LiveTranscription live = w.live(LiveAudio.OPTIONS.withPartialInterval(Duration.ofSeconds(1)), s)) {
                    TimeUnit.MILLISECONDS.sleep(stagger);
                    s.startNanos = System.nanoTime();
                    for (int at = 0; at < audio.length; at += piece) {
                        int len = Math.min(piece, audio.length - at);
                        long due = s.startNanos + TimeUnit.MILLISECONDS.toNanos((at + len) * 1000L / LiveAudio.RATE);
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        }
                        live.accept(audio, at, len);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "feeder-" + i);
            feeders.add(t);
            t.start();
        }
        for (Thread t : feeders) {
            t.join();
        }
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        double audioSeconds = (double) audio.length / LiveAudio.RATE;
        List<Long> finals = new ArrayList<>();
        List<Long> gaps = new ArrayList<>();
        long refused = 0;
        int missing = 0;
        for (Session s : sessions) {
            finals.addAll(s.finals);
            gaps.addAll(s.gaps);
            refused += s.refusedMs;
            missing += s.committed - s.finals.size();
        }
        return new Result(finals, gaps, cpuSeconds / audioSeconds / n, refused, missing);
    }
}
