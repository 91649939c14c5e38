package io.github.whisperjava.examples.service;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import io.github.whisperjava.ModelBusyException;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.WhisperException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one request's transcription on the shared model and turns every way it can end into the answer
 * the client gets. It holds one of {@code concurrency} slots while whisper runs (a slot is a whisper
 * state), so the queue and the busy states can be counted, and the queue timeout is answered 503 with
 * Retry-After before whisper is reached.
 */
final class Transcriber {
    private final Whisper whisper;
    private final ServiceConfig config;
    private final Semaphore slots;
    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    Transcriber(Whisper whisper, ServiceConfig config) {
        this.whisper = whisper;
        this.config = config;
        this.slots = new Semaphore(config.concurrency(), true);
    }

    Whisper whisper() {
        return whisper;
    }

    /** Requests waiting for a whisper state. */
    int queued() {
        return slots.getQueueLength();
    }

    /** Whisper states transcribing now. */
    int busy() {
        return config.concurrency() - slots.availablePermits();
    }

    int states() {
        return config.concurrency();
    }

    /**
     * Cancels every transcription in flight (the grace period at shutdown is over), and those still
     * waiting for a whisper state as soon as they get one.
     */
    void cancelAll() {
        cancelled = true;
        running.forEach(c -> c.cancel(Cancellation.Reason.SHUTDOWN));
    }

    Transcript transcribe(byte[] audio, TranscriptionOptions options, Cancellation cancel, long deadlineNanos) {
        float[] pcm;
        try {
            pcm = AudioInput.decode(audio, config.maxAudio());
        } catch (AudioTooLongException e) {
            throw ApiException.tooLarge("file", "audio is " + e.duration().toSeconds() + " s long; this service takes at most "
                    + config.maxAudio().toSeconds() + " s");
        } catch (AudioFormatException e) {
            throw ApiException.badParameter("file", e.getMessage());
        }
        TranscribeParams params = options.params();
        boolean acquired;
        try {
            acquired = slots.tryAcquire(config.queueTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for a whisper state", 1);
        }
        if (!acquired) {
            throw allBusy();
        }
        running.add(cancel);
        if (cancelled) {
            cancel.cancel(Cancellation.Reason.SHUTDOWN); // it waited for a state while the service stopped
        }
        try {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw timedOut();
            }
            TranscribeParams p = params.toBuilder().timeout(Duration.ofNanos(left)).queueTimeout(config.queueTimeout()).build();
            return whisper.transcribe(pcm, p, null, cancel.token);
        } catch (CancellationException e) {
            Cancellation.Reason why = cancel.reason();
            if (why == Cancellation.Reason.CLIENT_GONE) {
                throw new ClientGoneException();
            }
            if (why == Cancellation.Reason.SHUTDOWN) {
                throw ApiException.unavailable("the service is stopping; the transcription was cancelled", 5);
            }
            throw timedOut();
        } catch (ModelBusyException e) {
            throw allBusy();
        } catch (IllegalStateException e) {
            throw ApiException.unavailable("the service is stopping", 5); // the model is closed or closing
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            throw ApiException.badParameter(m.contains("language") ? "language" : m.contains("prompt") ? "prompt" : null, m);
        } catch (WhisperException e) {
            throw ApiException.internal(e.getMessage());
        } finally {
            running.remove(cancel);
            slots.release();
        }
    }

    private ApiException allBusy() {
        return ApiException.unavailable("all " + config.concurrency() + " whisper states stayed busy for "
                + config.queueTimeout().toSeconds() + " s; try again later",
                (int) Math.max(1, config.queueTimeout().toSeconds()));
    }

    private ApiException timedOut() {
        return ApiException.timeout("the transcription took longer than " + config.requestTimeout().toSeconds()
                + " s and was cancelled");
    }

    /** The client closed its connection: nobody is left to answer. */
    static final class ClientGoneException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGoneException() {
            super("client disconnected; transcription cancelled", null, false, false);
        }
    }
}
