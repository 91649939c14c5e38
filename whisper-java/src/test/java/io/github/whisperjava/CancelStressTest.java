package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
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
 *
 * <p>The same for {@link Whisper#cancelAll()} and {@link Whisper#closeNow()}, which reach a call through
 * the model rather than through its token. They promise to stop the calls that have started: those that
 * hold a state or are creating one ({@link Whisper#runningCalls()}). A call counted there before the
 * cancel is made has started before it; held at its first progress report, it cannot have ended by
 * then, so it must end with a CancellationException. A call not yet counted may have started in the
 * instant between the count and the cancel, so either outcome is allowed for it (for closeNow, a call
 * that had not started is refused, so a transcript is never allowed). The cancels aim at the two
 * windows that lost them before 05af8a5: just after a lease publishes a reused state, and while a call
 * creates its state (a second call beside a held one, after the idle one was evicted; or any call on a
 * fresh model). Against that commit's parent both tests fail within the first rounds, on a call
 * creating its state. The other window (a reused state's abort flag cleared just outside the lock) is
 * a few instructions wide: 2,000 rounds with only that half of the fix reverted did not hit it.
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

    // fewer with -Dwhisper.stress.rounds=N (cancelAll rounds; closeNow gets a tenth), for a quick look
    static final int CANCEL_ALL_ROUNDS = Integer.getInteger("whisper.stress.rounds", 2_000);
    static final int CLOSE_NOW_ROUNDS = Math.max(10, CANCEL_ALL_ROUNDS / 10);
    static final long SEED = 12;

    @Test
    @Timeout(900)
    void cancelAllNeverMissesACallThatHadStarted() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2,
                "SKIPPED: a call beside a held one needs two cores of CPU budget");
        TranscribeParams p = TranscribeParams.builder().threads(1).audioContext(64).maxTokensPerSegment(4).build();
        Random rnd = new Random(SEED);
        int[] counted = new int[2]; // rounds whose call was counted as started before the cancel: reusing, creating
        int[] notCounted = new int[2]; // and those whose call was not, ended: with a transcript, cancelled
        long[] nanos = new long[2];
        int[] kinds = new int[2];
        ModelOptions o = ModelOptions.defaults().withConcurrency(2).withIdleStateTimeout(Duration.ofMillis(1));
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"), o)) {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                ForTestsModelsTest.assertWellFormed(w.transcribe(CLIP, p)); // one idle state from here on
                for (int i = 0; i < CANCEL_ALL_ROUNDS; i++) {
                    boolean creating = rnd.nextInt(3) == 0; // a third: creating a state costs about ten times more
                    long roundStart = System.nanoTime();
                    TestData.HeldCall beside = null;
                    if (creating) {
                        awaitOneState(w); // the second state of the last round is evicted
                        beside = TestData.hold(pool, w, CLIP, p); // takes the idle state: the next call creates one
                    }
                    int before = beside == null ? 0 : 1;
                    TestData.HeldCall call = TestData.submitHeld(pool, w, CLIP, p, null);
                    boolean started = cancelAtRandom(rnd, w, call, before, w::cancelAll);
                    if (beside != null) {
                        beside.release();
                        assertCancelled(beside, "round " + i + ": the call held beside it");
                    }
                    call.release();
                    String round = "round " + i + (creating ? " (creating its state)" : " (reusing a state)");
                    if (started) {
                        counted[creating ? 1 : 0]++;
                        assertCancelled(call, round + ": started before cancelAll()");
                    } else {
                        notCounted[endedCancelled(call, round) ? 1 : 0]++;
                    }
                    nanos[creating ? 1 : 0] += System.nanoTime() - roundStart;
                    kinds[creating ? 1 : 0]++;
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf("cancelAll(), seed %d: %d rounds; %d calls counted as started before it, all "
                    + "cancelled (%d reusing a state, %d creating one); %d not counted yet (%d ran to the end, "
                    + "%d cancelled); a round %.1f ms reusing, %.1f ms creating%n", SEED, CANCEL_ALL_ROUNDS,
                    counted[0] + counted[1], counted[0], counted[1], notCounted[0] + notCounted[1], notCounted[0],
                    notCounted[1], nanos[0] / 1e6 / Math.max(1, kinds[0]), nanos[1] / 1e6 / Math.max(1, kinds[1]));
            ForTestsModelsTest.assertWellFormed(w.transcribe(CLIP, p));
        }
        assertTrue(counted[1] >= CANCEL_ALL_ROUNDS / 8, "too few cancels landed on a call creating its state");
    }

    @Test
    @Timeout(600)
    void closeNowNeverMissesACallThatHadStarted() throws Exception {
        TranscribeParams p = TranscribeParams.builder().threads(1).audioContext(64).maxTokensPerSegment(4).build();
        Random rnd = new Random(SEED);
        int counted = 0;
        int[] notCounted = new int[2]; // refused, cancelled
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < CLOSE_NOW_ROUNDS; i++) {
                Whisper w = Whisper.load(TestData.forTestsModel("tiny")); // no state yet: the call creates it
                TestData.HeldCall call = TestData.submitHeld(pool, w, CLIP, p, null);
                // closeNow() waits for the held call, so it runs on a thread of its own; once the model says
                // it is closed, its cancel has been made (one locked step), and the call may go on
                CompletableFuture<Void> closing = new CompletableFuture<>();
                boolean started = cancelAtRandom(rnd, w, call, 0, () -> {
                    new Thread(() -> {
                        w.closeNow();
                        closing.complete(null);
                    }, "closeNow").start();
                    while (!w.isClosed()) {
                        Thread.onSpinWait();
                    }
                });
                call.release();
                closing.get(60, TimeUnit.SECONDS);
                String round = "round " + i;
                if (started) {
                    counted++;
                    assertCancelled(call, round + ": started before closeNow()");
                } else {
                    try {
                        call.result.get(60, TimeUnit.SECONDS);
                        throw new AssertionError(round + ": a call ran to the end on a model closed with closeNow()");
                    } catch (ExecutionException e) {
                        boolean refused = e.getCause() instanceof IllegalStateException;
                        assertTrue(refused || e.getCause() instanceof CancellationException, round + ": " + e);
                        notCounted[refused ? 0 : 1]++;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("closeNow(), seed %d: %d fresh models; %d calls counted as started before it, all "
                + "cancelled; %d not counted yet (%d refused, %d cancelled)%n", SEED, CLOSE_NOW_ROUNDS, counted,
                notCounted[0] + notCounted[1], notCounted[0], notCounted[1]);
        assertTrue(counted >= CLOSE_NOW_ROUNDS / 4, "too few closes landed on a started call");
    }

    /**
     * Makes {@code cancel} at one of three points of {@code call}'s start, at random: after a random spin
     * of up to 3 ms; the instant the model counts it (more than {@code before} running calls: it is
     * publishing or creating its state); or at its first progress report.
     *
     * @return whether the call was counted as started just before the cancel
     */
    private static boolean cancelAtRandom(Random rnd, Whisper w, TestData.HeldCall call, int before, Runnable cancel)
            throws InterruptedException {
        switch (rnd.nextInt(3)) {
            case 0 -> spin(rnd.nextInt(3_000_000));
            case 1 -> {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (w.runningCalls() <= before && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
            }
            default -> call.awaitHeld();
        }
        boolean started = w.runningCalls() > before;
        cancel.run();
        return started;
    }

    private static void assertCancelled(TestData.HeldCall call, String what) throws Exception {
        try {
            call.result.get(60, TimeUnit.SECONDS);
            throw new AssertionError(what + ": the cancel was lost");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof CancellationException, what + ": " + e);
        }
    }

    /** A call that may or may not have been cancelled; nothing else may happen to it. */
    private static boolean endedCancelled(TestData.HeldCall call, String what) throws Exception {
        try {
            ForTestsModelsTest.assertWellFormed(call.result.get(60, TimeUnit.SECONDS));
            return false;
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof CancellationException, what + ": " + e);
            return true;
        }
    }

    private static void awaitOneState(Whisper w) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (w.liveStates() > 1) {
            if (System.nanoTime() > end) {
                throw new AssertionError("the idle state was not evicted within 60 s: " + w.liveStates() + " live");
            }
            Thread.sleep(1);
        }
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
