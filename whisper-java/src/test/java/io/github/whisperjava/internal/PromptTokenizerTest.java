package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.whisperjava.ModelOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java prompt tokenizer gives exactly the tokens of whisper.cpp's own whisper_tokenize. */
class PromptTokenizerTest {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"));
    static NativeModel model;
    static NativeModel.Lease lease; // held for the whole class: the context stays alive while it is
    static PromptTokenizer tokenizer;

    @BeforeAll
    static void load() throws InterruptedException {
        model = NativeModel.open(SHARED.resolve("models/for-tests-ggml-tiny.bin").toAbsolutePath(),
                ModelOptions.defaults());
        lease = model.lease(null);
        tokenizer = new PromptTokenizer(lease.vocabulary());
    }

    @AfterAll
    static void free() {
        lease.close();
        model.close(false);
    }

    /** whisper.cpp's tokenizer, on a thread whose stack its regex cannot exhaust for these lengths. */
    static int[] whisperCpp(String text) throws InterruptedException {
        AtomicReference<int[]> out = new AtomicReference<>();
        AtomicReference<Throwable> err = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                out.set(WhisperJni.tokenize(lease.context(), text.getBytes(StandardCharsets.UTF_8)));
            } catch (Throwable e) {
                err.set(e);
            }
        }, "whisper-tokenize", 512L << 20);
        t.start();
        t.join();
        if (err.get() != null) {
            throw new AssertionError(err.get());
        }
        return out.get();
    }

    @Test
    void sameTokensAsWhisperCppForEveryKindOfText() throws Exception {
        String[] pieces = {"Hello", " world", "'s", "'ll", "'re", "'x", "''", " ", "  ", "\t", "\n\n", " \t ", "42",
            " 2024", "3.14", "!", "?!", " ...", "-", "é", "中文", "日本語", "😀", "ñandú", "Straße", "can't", "I'm",
            "x", "xxxxxxxxxxxxxxxx", "  leading", "trailing  ", "\r\n", "\u000b", "\f", "a1b2", "__", "[_SOT_]",
            "<|endoftext|>", "\u00a0", "ǅ", "ß", "'", "' s", "'S", "you've", "we'd", "it'm"};
        Random rnd = new Random(15);
        for (int i = 0; i < 400; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(40);
            for (int k = 0; k < n; k++) {
                sb.append(pieces[rnd.nextInt(pieces.length)]);
            }
            check(sb.toString());
        }
        for (int i = 0; i < 200; i++) {
            byte[] raw = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(raw);
            check(new String(raw, StandardCharsets.UTF_8).replace('\0', ' '));
        }
        check("x".repeat(1500));
        check("中".repeat(500));
        check(" ".repeat(50) + "end");
    }

    @Test
    void theTailIsTheTailOfTheWhole() throws Exception {
        String text = "And so, my fellow Americans: ask not what your country can do for you; "
                + "ask what you can do for your country. ".repeat(30);
        int[] all = whisperCpp(text);
        int[] tail = tokenizer.lastTokens(text, 224);
        assertEquals(224, tail.length);
        assertArrayEquals(Arrays.copyOfRange(all, all.length - 224, all.length), tail);
        assertArrayEquals(all, tokenizer.lastTokens(text, Integer.MAX_VALUE));
    }

    private static void check(String text) throws InterruptedException {
        assertArrayEquals(whisperCpp(text), tokenizer.lastTokens(text, Integer.MAX_VALUE), () -> "for " + escape(text));
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            sb.append(c >= ' ' && c < 127 ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return sb.append('"').toString();
    }
}
