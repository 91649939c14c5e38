package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No cancel is lost, wherever it lands: a token cancelled at a random moment of a call's start (before
 * it is submitted, while it waits for or creates its state, while the state is being handed over, at
 * its first progress report) must end that call with a CancellationException. Each call is held at its
 * first progress report until the cancel has been made, so "the call had not finished yet" is a fact and
 * the only outcome the contract allows is the exception. Then the model must still work.
 */
class CancelStressTest {
    static final int ROUNDS = 10_000;
    static final float[] CLIP = Arrays.copyOf(WavReader.read16kMono(TestData.JFK_WAV), 16_000);

    @Test
    @Timeout(600)
    void aTokenCancelledAnywhereBeforeTheEndIsNeverLost() throws Exception {
        TranscribeParams p = TranscribeParams.builder().threads(1).audioContext(64).maxTokensPerSegment(4).build();
        Random rnd = new Random(2026);
        int[] where = new int[3];
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"), ModelOptions.defaults().withConcurrency(2))) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (int i = 0; i < ROUNDS; i++) {
                    CancellationToken token = new CancellationToken();
                    int mode = rnd.nextInt(3);
                    if (mode == 0) {
                        token.cancel(); // before the call exists
                    }
                    TestData.HeldCall call = TestData.submitHeld(pool, w, CLIP, p, token);
                    if (mode == 1) {
                        spin(rnd.nextInt(2_000_000)); // up to 2 ms into its start: state, mel, hand-over
                        token.cancel();
                    } else if (mode == 2) {
                        call.awaitHeld(); // at its first progress report
                        token.cancel();
                    }
                    where[mode]++;
                    call.release();
                    try {
                        call.result.get(60, TimeUnit.SECONDS);
                        throw new AssertionError("round " + i + " (mode " + mode + "): the cancel was lost");
                    } catch (ExecutionException e) {
                        assertTrue(e.getCause() instanceof CancellationException, "round " + i + ": " + e);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("%d cancels, none lost: %d before the call, %d during its start, %d at its first "
                    + "progress report%n", ROUNDS, where[0], where[1], where[2]);
            ForTestsModelsTest.assertWellFormed(w.transcribe(CLIP, p));
        }
        assertEquals(ROUNDS, where[0] + where[1] + where[2]);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
