package io.github.whisperjava.server;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import io.github.whisperjava.CallOptions;
import io.github.whisperjava.ModelBusyException;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.TranscriptionListener;
import io.github.whisperjava.VadOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.WhisperException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one request's transcription on the shared model and turns every way it can end into the answer
 * the client gets. It admits at most {@code concurrency + maxQueue} requests (the rest are answered 503
 * at once, before their audio is fetched or decoded); an admitted one waits for one of
 * {@code concurrency} slots (a slot is a whisper state) and then for its share of {@link AudioMemory},
 * and only then decodes its audio, so that what waits holds spooled bytes, not samples. A wait past the
 * queue timeout is answered 503 with Retry-After before whisper is reached; so is every wait once the
 * service stops.
 */
final class Transcriber {
    private static final byte[] RIFF = {'R', 'I', 'F', 'F'};
    /** The most a WAV file's byte can become as 16 kHz float samples: 8-bit mono at 8 kHz, two floats. */
    private static final int WAV_EXPANSION = 8;

    private final Whisper whisper;
    private final ServiceConfig config;
    private final Path vadModel;
    private final String vadMissing;
    private final Semaphore slots;
    private final AudioMemory memory;
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final Set<Cancellation> running = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;
    private volatile boolean stopping;

    /**
     * @param vadModel the Silero model resolved at start-up; null if VAD is off
     * @param vadMissing why it is off (the answer to a {@code vad=true} request), when it is
     */
    Transcriber(Whisper whisper, ServiceConfig config, Path vadModel, String vadMissing) {
        this.whisper = whisper;
        this.config = config;
        this.vadModel = vadModel;
        this.vadMissing = vadMissing;
        this.slots = new Semaphore(config.concurrency(), true);
        this.memory = new AudioMemory(config.audioMemoryBytes());
    }

    Whisper whisper() {
        return whisper;
    }

    /** Admitted requests waiting for a whisper state or their audio's memory. */
    int queued() {
        return Math.max(0, admitted.get() - busy.get());
    }

    /** Whisper states transcribing now. */
    int busy() {
        return busy.get();
    }

    int states() {
        return config.concurrency();
    }

    /**
     * A place in line; 503 at once when {@code concurrency + maxQueue} requests hold one. Close it when
     * the request is answered.
     */
    Admission admit() {
        if (stopping) {
            throw stopping();
        }
        int limit = config.concurrency() + config.maxQueue();
        if (admitted.incrementAndGet() > limit) {
            admitted.decrementAndGet();
            throw ApiException.unavailable("the service has " + limit + " requests running or waiting (" + config.concurrency()
                    + " whisper states, a queue of " + config.maxQueue() + "); try again later",
                    (int) Math.max(1, Math.min(config.queueTimeout().toSeconds(), 30)));
        }
        return new Admission();
    }

    /** One admitted request's place; closing it twice gives it back once. */
    final class Admission implements AutoCloseable {
        private final AtomicBoolean open = new AtomicBoolean(true);

        @Override
        public void close() {
            if (open.getAndSet(false)) {
                admitted.decrementAndGet();
            }
        }
    }

    /** Whether a VAD model was resolved at start-up. */
    boolean hasVad() {
        return vadModel != null;
    }

    /** The VAD options for a {@code vad=true} request; 400 if this service has no VAD model. */
    VadOptions vad(float threshold) {
        if (vadModel == null) {
            throw ApiException.badParameter("vad", "voice activity detection is off on this service: " + vadMissing);
        }
        return VadOptions.DEFAULTS.withModel(vadModel).withThreshold(threshold);
    }

    /**
     * The service stops: requests that wait for a state or for memory are answered 503 "stopping" now,
     * and no request is admitted any more. Those already transcribing keep the grace period.
     */
    void refuseQueued() {
        stopping = true;
        slots.release(Integer.MAX_VALUE / 2 - config.concurrency());
        memory.releaseWaiters();
    }

    /**
     * Cancels every transcription in flight (the grace period at shutdown is over), and those still
     * waiting for a whisper state as soon as they get one.
     */
    void cancelAll() {
        cancelled = true;
        running.forEach(c -> c.cancel(Cancellation.Reason.SHUTDOWN));
    }

    /** @param listener told of each segment as it is decoded (a streamed answer), or null */
    Transcript transcribe(BodySpool audio, TranscriptionOptions options, Cancellation cancel, long deadlineNanos,
            TranscriptionListener listener) {
        TranscribeParams params = options.params(this);
        long waitEnd = System.nanoTime() + config.queueTimeout().toNanos();
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
        if (stopping) {
            slots.release();
            throw stopping(); // it waited for a state while the service began to stop
        }
        busy.incrementAndGet();
        running.add(cancel);
        if (cancelled) {
            cancel.cancel(Cancellation.Reason.SHUTDOWN);
        }
        AudioMemory.Reservation share = null;
        try {
            share = memory.reserve(worstCaseBytes(audio), waitEnd - System.nanoTime());
            if (share == null) {
                throw ApiException.unavailable("the audio of the requests in flight fills the " + (memory.totalBytes() >> 20)
                        + " MiB this service decodes into; try again later",
                        (int) Math.max(1, config.queueTimeout().toSeconds()));
            }
            if (stopping) {
                throw stopping();
            }
            float[] pcm = decode(audio);
            share.shrinkTo(pcm.length * 4L);
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0) {
                throw timedOut();
            }
            TranscribeParams p = params.toBuilder().timeout(Duration.ofNanos(left)).queueTimeout(config.queueTimeout()).build();
            CallOptions call = CallOptions.none().withCancellation(cancel.token);
            return whisper.transcribe(pcm, p, listener == null ? call : call.withListener(listener));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while waiting for memory to decode the audio into", 1);
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
            if (e.getCause() instanceof OutOfMemoryError) {
                throw ApiException.unavailable("not enough memory for this audio now: " + e.getMessage(), 5);
            }
            throw ApiException.internal(e.getMessage());
        } finally {
            if (share != null) {
                share.close();
            }
            running.remove(cancel);
            busy.decrementAndGet();
            slots.release();
        }
    }

    /** What decoding {@code audio} may take: its bytes while read, and the samples they can become. */
    private long worstCaseBytes(BodySpool audio) {
        long longest = config.maxAudio().toSeconds() * 16_000L * 4 + 64_000L * 4;
        long samples = audio.startsWith(RIFF) ? Math.min(audio.size() * WAV_EXPANSION, longest) : longest;
        return audio.size() + samples;
    }

    private float[] decode(BodySpool audio) {
        try {
            return audio.decode(config.maxAudio());
        } catch (AudioTooLongException e) {
            throw ApiException.tooLarge("file", "audio is " + e.duration().toSeconds() + " s long; this service takes at most "
                    + config.maxAudio().toSeconds() + " s");
        } catch (AudioFormatException e) {
            throw ApiException.badParameter("file", e.getMessage());
        }
    }

    private static ApiException stopping() {
        return ApiException.unavailable("the service is stopping", 5);
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
