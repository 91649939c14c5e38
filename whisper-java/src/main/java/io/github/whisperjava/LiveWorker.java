package io.github.whisperjava;

import io.github.whisperjava.internal.LocalAgreement;
import io.github.whisperjava.internal.SpeechDetector;
import io.github.whisperjava.internal.SpeechEndpointer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.CancellationException;

/**
 * A {@link LiveTranscription}'s thread: runs the VAD on the audio as it is queued, cuts utterances,
 * decodes partials and finals, and calls the listener. All its state is this thread's alone; the session
 * reads {@link #heldSamples()} and calls {@link #cancelRunning()} from others.
 */
final class LiveWorker implements Runnable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LiveWorker.class);
    private static final int WINDOW = SpeechDetector.WINDOW;
    private static final int PER_MS = LiveTranscription.RATE / 1000;

    private record Committed(int utterance, long start, float[] audio) {}

    private final Whisper whisper;
    private final LiveListener listener;
    private final SpeechDetector.SpeechStream vad;
    private final LiveTranscription session;
    private final SpeechEndpointer endpointer;
    private final TranscribeParams finalParams;
    private final TranscribeParams partialParams;
    private final long padSamples;
    private final long maxUtteranceSamples;
    private final long partialSamples;
    private final LocalAgreement agreement = new LocalAgreement();
    private final ArrayDeque<Committed> committed = new ArrayDeque<>();

    private float[] buf = new float[4 * LiveTranscription.RATE];
    private long bufStart;      // stream sample of buf[0]
    private int bufLen;
    private long vadPos;        // stream samples the VAD has judged, whole windows
    private long lastCommitEnd; // audio before this belongs to an utterance already committed (or cleared)
    private int nextUtterance;
    private int current = -1;   // the utterance being heard, -1 when none
    private long uttStart;      // its first sample, prefix padding included
    private long lastPartialEnd;
    private volatile long held;
    private volatile CancellationToken running;
    private volatile boolean endedByAbort;

    LiveWorker(Whisper whisper, LiveOptions options, LiveListener listener, SpeechDetector.SpeechStream vad,
            LiveTranscription session) {
        this.whisper = whisper;
        this.listener = listener;
        this.vad = vad;
        this.session = session;
        VadOptions v = options.vad();
        this.endpointer = v == null ? null
                : new SpeechEndpointer(v.threshold(), (long) v.minSpeechMs() * PER_MS, (long) v.minSilenceMs() * PER_MS);
        this.padSamples = v == null ? 0 : (long) v.speechPadMs() * PER_MS;
        this.finalParams = options.params().toBuilder().vad(null).build();
        this.partialParams = finalParams.toBuilder().encoderWindow(EncoderWindow.FIT_AUDIO)
                .queueTimeout(Duration.ZERO).build();
        this.maxUtteranceSamples = options.maxUtterance().toMillis() * PER_MS;
        this.partialSamples = options.partialInterval().toMillis() * PER_MS;
    }

    long heldSamples() {
        return held;
    }

    boolean endedByAbort() {
        return endedByAbort;
    }

    void cancelRunning() {
        CancellationToken t = running;
        if (t != null) {
            t.cancel();
        }
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (InterruptedException e) {
            endedByAbort = true;
        } catch (RuntimeException | Error e) {
            endedByAbort = true;
            LOG.warn("live transcription {} ended: {}", session, e.toString(), e);
        } finally {
            if (vad != null) {
                vad.close();
            }
            committed.clear();
            buf = new float[0];
            held = 0;
        }
    }

    private void loop() throws InterruptedException {
        boolean ending = false;
        while (!session.aborted()) {
            Object item;
            while (!ending && (item = session.next(0)) != null) {
                ending = handle(item);
            }
            if (session.aborted()) {
                break;
            }
            if (!committed.isEmpty()) {
                decodeFinal(committed.poll());
                updateHeld();
            } else if (ending) {
                return;
            } else if (partialDue()) {
                decodePartial();
            } else {
                item = session.next(1_000);
                if (item != null) {
                    ending = handle(item);
                }
            }
        }
        endedByAbort = true;
    }

    /** True at the end of the stream. */
    private boolean handle(Object item) {
        if (session.aborted()) {
            return true;
        }
        if (item instanceof float[] audio) {
            append(audio);
            if (endpointer != null) {
                judge();
            } else {
                if (current < 0 && bufStart + bufLen > lastCommitEnd) {
                    current = nextUtterance++;
                    uttStart = lastCommitEnd;
                    lastPartialEnd = uttStart;
                }
                while (current >= 0 && streamEnd() - uttStart >= maxUtteranceSamples) {
                    long cut = uttStart + maxUtteranceSamples;
                    commit(cut);
                    current = nextUtterance++;
                    uttStart = cut;
                    lastPartialEnd = cut;
                }
            }
            trim();
        } else if (item instanceof WhisperException e) {
            emit(() -> listener.onError(e));
        } else if (item == LiveTranscription.Marker.CLEAR) {
            if (endpointer != null) {
                endpointer.reset();
            }
            current = -1;
            lastCommitEnd = wholeMs(streamEnd());
            agreement.reset();
            trim();
        } else {
            // COMMIT, or END, which commits first
            commitNow();
            trim();
            return item == LiveTranscription.Marker.END;
        }
        updateHeld();
        return false;
    }

    /** Runs the VAD over the whole windows not yet judged and acts on what it decides. */
    private void judge() {
        int n = (int) ((streamEnd() - vadPos) / WINDOW * WINDOW);
        if (n == 0) {
            return;
        }
        int from = (int) (vadPos - bufStart);
        float[] probs = vad.probabilities(from == 0 ? buf : Arrays.copyOfRange(buf, from, from + n), n);
        for (float p : probs) {
            long w = vadPos / WINDOW;
            vadPos += WINDOW;
            for (SpeechEndpointer.Change c = endpointer.feed(p); c != SpeechEndpointer.Change.NONE; c = endpointer.next()) {
                if (c == SpeechEndpointer.Change.STARTED) {
                    long speech = endpointer.speechStart() * WINDOW;
                    current = nextUtterance++;
                    uttStart = Math.max(lastCommitEnd, speech - padSamples);
                    lastPartialEnd = speech;
                    int u = current;
                    emit(() -> listener.onSpeechStarted(u, speech / PER_MS));
                } else if (current >= 0) {
                    long end = endpointer.speechEnd() * WINDOW;
                    int u = current;
                    emit(() -> listener.onSpeechStopped(u, end / PER_MS));
                    commit(Math.min(end + padSamples, streamEnd()));
                }
            }
            if (current >= 0 && endpointer.inSpeech() && (w + 1) * WINDOW - uttStart >= maxUtteranceSamples) {
                long cut = endpointer.bestPause((uttStart + maxUtteranceSamples * 3 / 4) / WINDOW) * WINDOW;
                if (cut <= uttStart) {
                    cut = uttStart + maxUtteranceSamples; // no pause in reach: cut where the limit is
                }
                int u = current;
                long at = cut;
                emit(() -> listener.onSpeechStopped(u, at / PER_MS));
                commit(cut);
                current = nextUtterance++;
                uttStart = cut;
                lastPartialEnd = cut;
                int next = current;
                emit(() -> listener.onSpeechStarted(next, at / PER_MS));
            }
        }
    }

    /** commit() or the end of the stream: the speech heard now (without VAD: all audio) is an utterance. */
    private void commitNow() {
        if (current >= 0 && (endpointer == null || endpointer.inSpeech())) {
            long end = wholeMs(streamEnd());
            if (end > uttStart) {
                commit(end);
            } else {
                current = -1;
            }
        }
        if (endpointer != null) {
            endpointer.reset();
        }
    }

    private void commit(long end) {
        long start = uttStart;
        end = wholeMs(end);
        float[] audio = Arrays.copyOfRange(buf, (int) (start - bufStart), (int) (end - bufStart));
        int u = current;
        committed.add(new Committed(u, start, audio));
        lastCommitEnd = end;
        current = -1;
        agreement.reset();
        long s = start / PER_MS;
        long e = end / PER_MS;
        emit(() -> listener.onCommitted(u, s, e));
    }

    private void decodeFinal(Committed c) {
        CancellationToken token = new CancellationToken();
        running = token;
        if (session.aborted()) {
            return;
        }
        Transcript t;
        try {
            t = whisper.transcribe(c.audio, finalParams, CallOptions.none().withCancellation(token));
        } catch (CancellationException e) {
            if (!session.aborted()) {
                emit(() -> listener.onError(new WhisperException("utterance " + c.utterance + " was cancelled", e)));
            }
            return;
        } catch (WhisperException e) {
            emit(() -> listener.onError(e));
            return;
        } finally {
            running = null;
        }
        long offset = c.start / PER_MS;
        LiveUtterance u = new LiveUtterance(c.utterance, offset, offset + c.audio.length / PER_MS, t.movedBy(offset));
        emit(() -> listener.onFinal(u));
    }

    /** A partial is due: speech is going on, enough is new, no final waits, and the session is not behind. */
    private boolean partialDue() {
        if (partialSamples == 0 || current < 0 || !committed.isEmpty()) {
            return false;
        }
        if (endpointer != null && !endpointer.inSpeech()) {
            return false;
        }
        return judgedEnd() - lastPartialEnd >= partialSamples && session.queuedSamples() < partialSamples;
    }

    private void decodePartial() {
        long end = wholeMs(judgedEnd());
        lastPartialEnd = end;
        float[] audio = Arrays.copyOfRange(buf, (int) (uttStart - bufStart), (int) (end - bufStart));
        CancellationToken token = new CancellationToken();
        running = token;
        if (session.aborted()) {
            return;
        }
        Transcript t;
        try {
            t = whisper.transcribe(audio, partialParams, CallOptions.none().withCancellation(token));
        } catch (ModelBusyException e) {
            return; // no state free at once: partials give way to finals and to other calls
        } catch (CancellationException | WhisperException e) {
            LOG.debug("partial of {} skipped: {}", session, e.toString());
            return;
        } finally {
            running = null;
        }
        String[] parts = agreement.accept(t.segments().stream().map(Segment::text).reduce("", String::concat));
        // without the leading space whisper puts before the first word, as Transcript.text() gives the final
        String stable = parts[0].stripLeading();
        String unstable = stable.isEmpty() ? parts[1].stripLeading() : parts[1];
        LivePartial p = new LivePartial(current, uttStart / PER_MS, end / PER_MS, stable, unstable);
        emit(() -> listener.onPartial(p));
    }

    private long judgedEnd() {
        return endpointer == null ? streamEnd() : vadPos;
    }

    private void append(float[] audio) {
        if (bufLen + audio.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, bufLen + audio.length));
        }
        System.arraycopy(audio, 0, buf, bufLen, audio.length);
        bufLen += audio.length;
    }

    /** Drops audio no utterance can still take. */
    private void trim() {
        long keep;
        if (current >= 0) {
            keep = uttStart;
        } else if (endpointer != null) {
            long candidate = endpointer.speechStart() >= 0 ? endpointer.speechStart() * WINDOW : vadPos;
            keep = Math.max(lastCommitEnd, candidate - padSamples);
        } else {
            keep = lastCommitEnd;
        }
        if (endpointer != null) {
            keep = Math.min(keep, vadPos);
        }
        int drop = (int) Math.max(0, Math.min(bufLen, keep - bufStart));
        if (drop > 0) {
            System.arraycopy(buf, drop, buf, 0, bufLen - drop);
            bufLen -= drop;
            bufStart += drop;
        }
    }

    private void updateHeld() {
        long h = bufLen;
        for (Committed c : committed) {
            h += c.audio.length;
        }
        held = h;
    }

    private long streamEnd() {
        return bufStart + bufLen;
    }

    private static long wholeMs(long sample) {
        return sample - sample % PER_MS;
    }

    /** Calls the listener; one that throws ends the session. */
    private void emit(Runnable call) {
        if (session.aborted()) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException | Error e) {
            LOG.warn("the listener of {} threw; the session is aborted", session, e);
            session.abort();
        }
    }
}
