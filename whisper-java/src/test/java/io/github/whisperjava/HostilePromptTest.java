package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A caller-supplied initial prompt of any shape and size never kills the JVM. whisper.cpp's own
 * tokenizer overflowed a 1 MB thread stack on 4,000 characters without a space (SIGSEGV, exit 139);
 * these calls run on threads with a 512 KB stack, smaller than any JVM default.
 */
class HostilePromptTest {
    static Whisper whisper;
    static final float[] SILENCE = new float[16_000];

    @BeforeAll
    static void load() {
        whisper = Whisper.load(TestData.forTestsModel("tiny"));
    }

    @AfterAll
    static void close() {
        whisper.close();
    }

    static Map<String, String> prompts() {
        Random rnd = new Random(4000);
        byte[] raw = new byte[1 << 20];
        rnd.nextBytes(raw);
        Map<String, String> m = new LinkedHashMap<>();
        for (int n : new int[] {4_000, 100_000, 1 << 20}) {
            m.put("x*" + n, "x".repeat(n));
            m.put("中*" + n, "中".repeat(n / 3));
            m.put("é*" + n, "é".repeat(n / 2));
            m.put("!*" + n, "!".repeat(n));
            m.put("9*" + n, "9".repeat(n));
            m.put("tab*" + n, "\t".repeat(n));
            m.put("words*" + n, "ask not what your country can do for you ".repeat(n / 42));
            m.put("random bytes*" + n, new String(raw, 0, n, StandardCharsets.UTF_8).replace('\0', ' '));
        }
        return m;
    }

    @Test
    @Timeout(600)
    void everyShapeUpToOneMegabyteTranscribesOnASmallStack() throws Exception {
        TranscribeParams base = TranscribeParams.builder().threads(1).build();
        for (Map.Entry<String, String> e : prompts().entrySet()) {
            TranscribeParams p = base.toBuilder().initialPrompt(e.getValue()).build();
            long t0 = System.nanoTime();
            Transcript t = onSmallStack(() -> whisper.transcribe(SILENCE, p));
            assertNotNull(t, e.getKey());
            System.out.printf("prompt %-20s transcribed in %d ms%n", e.getKey(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    static <T> T onSmallStack(Supplier<T> work) throws InterruptedException {
        AtomicReference<T> out = new AtomicReference<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                out.set(work.get());
            } catch (Throwable e) {
                err.set(e);
            }
        }, "small-stack", 512 * 1024);
        t.start();
        t.join();
        if (err.get() != null) {
            throw new AssertionError(err.get());
        }
        return out.get();
    }
}
