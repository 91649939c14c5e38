package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every input type takes the same {@link CallOptions}: a file, bytes and a stream are observed, cancelled
 * and bounded by a deadline as samples are, on the real library and the for-tests model.
 */
class CallOptionsTest {
    private static final TranscribeParams ONE_THREAD = TranscribeParams.builder().threads(1).build();

    @Test
    void optionsAreImmutableAndStartEmpty() {
        CallOptions none = CallOptions.none();
        CancellationToken token = new CancellationToken();
        CallOptions withToken = none.withCancellation(token);
        assertNull(none.cancellation(), "with… returns a copy");
        assertSame(token, withToken.cancellation());
        assertNull(withToken.listener());
        assertNull(withToken.deadline());
        Instant at = Instant.now();
        assertEquals(at, withToken.withDeadline(at).deadline());
        assertSame(token, withToken.withDeadline(at).cancellation());
    }

    /** A cancelled token or a passed deadline ends a call before it reads its input: not even a missing file. */
    @Test
    void aCallThatCanOnlyEndCancelledDoesNotReadItsInput(@TempDir Path tmp) {
        Path missing = tmp.resolve("not-there.wav");
        CancellationToken cancelled = new CancellationToken();
        cancelled.cancel();
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            assertThrows(CancellationException.class,
                    () -> w.transcribe(missing, ONE_THREAD, CallOptions.none().withCancellation(cancelled)));
            CancellationException late = assertThrows(CancellationException.class, () -> w.transcribe(
                    missing, ONE_THREAD, CallOptions.none().withDeadline(Instant.now().minusSeconds(1))));
            assertTrue(late.getMessage().contains("deadline"), late.getMessage());
            assertThrows(CancellationException.class, () -> w.transcribe(new byte[] {1, 2, 3}, ONE_THREAD,
                    CallOptions.none().withCancellation(cancelled)));
            assertThrows(CancellationException.class, () -> w.transcribe(InputStream.nullInputStream(), ONE_THREAD,
                    CallOptions.none().withDeadline(Instant.EPOCH)));
            // without the options the same inputs are read, and refused for what they are
            assertThrows(AudioFormatException.class, () -> w.transcribe(missing, ONE_THREAD, CallOptions.none()));
        }
    }

    /** A token cancelled while a file, its bytes or a stream is transcribed ends that call; the model goes on. */
    @Test
    void fileBytesAndStreamCallsAreCancelledMidway() throws Exception {
        byte[] wav = Files.readAllBytes(TestData.JFK_WAV);
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            for (String input : new String[] {"path", "bytes", "stream"}) {
                CancellationToken token = new CancellationToken();
                AtomicInteger progress = new AtomicInteger();
                TranscriptionListener cancelAtFirstProgress = new TranscriptionListener() {
                    @Override
                    public void onProgress(int percent) {
                        progress.incrementAndGet();
                        token.cancel(); // from the call's own thread: it stops at the next step
                    }
                };
                CallOptions options = CallOptions.none().withListener(cancelAtFirstProgress).withCancellation(token);
                Executable call = switch (input) {
                    case "path" -> () -> w.transcribe(TestData.JFK_WAV, ONE_THREAD, options);
                    case "bytes" -> () -> w.transcribe(wav, ONE_THREAD, options);
                    default -> () -> w.transcribe(new ByteArrayInputStream(wav), ONE_THREAD, options);
                };
                CancellationException e = assertThrows(CancellationException.class, call, input);
                assertTrue(e.getMessage().contains("cancelled"), input + ": " + e.getMessage());
                assertTrue(progress.get() >= 1, input + ": the listener was never called");
            }
            ForTestsModelsTest.assertWellFormed(w.transcribe(TestData.JFK_WAV, ONE_THREAD));
        }
    }

    /** The deadline and the params' timeout both bound a call; the exception names the one that came first. */
    @Test
    void theEarlierOfDeadlineAndTimeoutEndsTheCallAndIsNamed() {
        float[] threeWindows = TestData.repeat(WavReader.read16kMono(TestData.JFK_WAV), 6); // 66 s
        try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
            TranscribeParams hourTimeout = ONE_THREAD.toBuilder().timeout(Duration.ofHours(1)).build();
            CancellationException byDeadline = assertThrows(CancellationException.class, () -> w.transcribe(
                    threeWindows, hourTimeout, CallOptions.none().withDeadline(Instant.now().plusMillis(100))));
            assertTrue(byDeadline.getMessage().contains("passed its deadline"), byDeadline.getMessage());

            TranscribeParams shortTimeout = ONE_THREAD.toBuilder().timeout(Duration.ofMillis(100)).build();
            CancellationException byTimeout = assertThrows(CancellationException.class, () -> w.transcribe(
                    threeWindows, shortTimeout, CallOptions.none().withDeadline(Instant.now().plusSeconds(3600))));
            assertTrue(byTimeout.getMessage().contains("timed out after PT0.1S"), byTimeout.getMessage());

            ForTestsModelsTest.assertWellFormed(w.transcribe(TestData.JFK_WAV, ONE_THREAD, CallOptions.none()
                    .withDeadline(Instant.now().plusSeconds(3600)))); // a far deadline changes nothing
        }
    }
}
