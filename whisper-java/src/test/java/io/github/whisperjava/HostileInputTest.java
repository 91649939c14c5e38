package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import io.github.whisperjava.internal.GgmlModelHeader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Randomised hostile input. Every outcome must be a result or one of our documented exceptions: an
 * unexpected exception fails the test, and a crash would take the test JVM down with it.
 */
class HostileInputTest {
    @TempDir
    Path tmp;

    @Test
    @org.junit.jupiter.api.Timeout(300)
    void tenThousandMutatedWavHeaders() throws IOException {
        byte[] jfk = Files.readAllBytes(TestData.JFK_WAV);
        byte[] seed = Arrays.copyOf(jfk, 44 + 16_000 * 2); // header + 0.5 s
        Random rnd = new Random(20261124);
        Path f = tmp.resolve("mutant.wav");
        int accepted = 0;
        int rejected = 0;
        float[] sample = null;
        for (int i = 0; i < 10_000; i++) {
            byte[] m = seed.clone();
            int flips = 1 + rnd.nextInt(6);
            for (int k = 0; k < flips; k++) {
                int pos = rnd.nextInt(i % 4 == 0 ? m.length : 64); // mostly the header, sometimes anywhere
                m[pos] = (byte) (rnd.nextInt(4) == 0 ? 0xff : rnd.nextInt(256));
            }
            if (i % 10 == 0) {
                m = Arrays.copyOf(m, rnd.nextInt(m.length)); // and truncations
            }
            Files.write(f, m);
            try {
                float[] pcm = WavReader.read16kMono(f);
                for (float v : pcm) {
                    assertTrue(Float.isFinite(v) && v >= -1 && v <= 1, "sample out of range: " + v);
                }
                accepted++;
                if (sample == null && pcm.length > 0) {
                    sample = pcm;
                }
            } catch (AudioFormatException e) {
                rejected++;
            }
        }
        System.out.printf("10000 mutated WAVs: %d read, %d rejected with AudioFormatException%n", accepted, rejected);
        assertEquals(10_000, accepted + rejected);
        assertTrue(accepted > 0 && rejected > 0, "the mutations exercised only one outcome");
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            ForTestsModelsTest.assertWellFormed(w.transcribe(sample, TranscribeParams.builder().threads(2).build()));
        }
    }

    /**
     * Header mutations and truncations of every for-tests size. Every truncation must be rejected (these
     * files end with their vocabulary, so any cut lands inside the checked structure); a byte flip may
     * legitimately leave a loadable model (a changed vocabulary letter or mel filter value).
     */
    @Test
    void mutatedAndTruncatedModelsOfEverySize() throws IOException {
        Random rnd = new Random(99);
        int flippedLoaded = 0;
        int flippedRejected = 0;
        for (String size : new String[] {"tiny", "tiny.en", "base", "base.en", "small", "small.en", "medium",
                "medium.en", "large"}) {
            byte[] orig = Files.readAllBytes(TestData.forTestsModel(size));
            for (int i = 0; i < 40; i++) {
                boolean truncate = i % 2 == 0;
                byte[] m = orig.clone();
                if (truncate) {
                    m = Arrays.copyOf(m, rnd.nextInt(m.length));
                } else {
                    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                        int pos = rnd.nextInt(i % 3 == 0 ? m.length : 128);
                        m[pos] = (byte) rnd.nextInt(256);
                    }
                }
                Path f = Files.write(tmp.resolve("m.bin"), m);
                try (Whisper w = Whisper.load(f, ModelOptions.defaults().withConcurrency(1))) {
                    if (truncate) {
                        throw new AssertionError(size + " truncated to " + m.length + " bytes loaded");
                    }
                    flippedLoaded++;
                } catch (ModelLoadException e) {
                    if (!truncate) {
                        flippedRejected++;
                    }
                }
            }
        }
        System.out.printf("180 truncated for-tests models all rejected; of 180 with flipped bytes %d loaded, %d "
                + "rejected with ModelLoadException%n", flippedLoaded, flippedRejected);
        assertTrue(flippedRejected > 0 && flippedLoaded > 0, "the flips exercised only one outcome");
    }

    /**
     * Hyper-parameters that pass every range check yet trip a GGML_ASSERT (the JVM aborts) when whisper.cpp
     * builds the first state's graphs; each was seen to. They must be refused at load.
     */
    @Test
    void hyperParametersWhisperCppWouldAssertOnAreRefused() throws IOException {
        byte[] tiny = Files.readAllBytes(TestData.forTestsModel("tiny"));
        // index of the hyper-parameter after the magic (n_vocab, n_audio_ctx, n_audio_state, n_audio_head,
        // ..., n_text_state at 6, n_text_head at 7), the value, and the assert whisper.cpp hit with it
        int[][] cases = {{3, 7}, {7, 7}, {2, 390}, {6, 390}, {0, 100}};
        String[] asserts = {"ggml_nelements(a) == ne0*ne1*ne2", "ggml_nelements(a) == ne0*ne1*ne2",
            "ggml_can_mul_mat(a, b)", "ggml_can_mul_mat(a, b)", "i01 >= 0 && i01 < ne01 (get_rows)"};
        for (int i = 0; i < cases.length; i++) {
            byte[] m = tiny.clone();
            ByteBuffer.wrap(m).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 4 * cases[i][0], cases[i][1]);
            Path f = Files.write(tmp.resolve("hparams" + i + ".bin"), m);
            try (Whisper w = Whisper.load(f, ModelOptions.defaults().withConcurrency(1))) {
                throw new AssertionError("hyper-parameter #" + cases[i][0] + " = " + cases[i][1]
                        + " loaded; its first state would abort the JVM with GGML_ASSERT(" + asserts[i] + ")");
            } catch (ModelLoadException e) {
                assertTrue(e.getMessage().contains("corrupt header"), e.getMessage());
            }
        }
        try (Whisper w = Whisper.load(TestData.forTestsModel("tiny"))) {
            ForTestsModelsTest.assertWellFormed(w.transcribe(new float[16_000]));
        }
    }

    /** The tensor section, which the for-tests models lack: a tiny fixture with weights, damaged in place. */
    @Test
    void damagedTensorRecords() throws IOException {
        Path fixture = TestData.fixture("tiny", "q5_1");
        Path f = tmp.resolve("fixture.bin");
        Files.copy(fixture, f, StandardCopyOption.REPLACE_EXISTING);
        long headerBytes = GgmlModelHeader.read(fixture).headerBytes();
        long size = Files.size(f);
        Random rnd = new Random(5);
        int loaded = 0;
        int rejected = 0;
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            for (int i = 0; i < 60; i++) {
                // the first tensor records start at headerBytes: damage their 12-byte heads and dims mostly
                long pos = i % 3 == 0 ? headerBytes + rnd.nextInt(64) : headerBytes + (long) (rnd.nextDouble() * (size - headerBytes));
                raf.seek(pos);
                int old = raf.read();
                raf.seek(pos);
                raf.write(rnd.nextBoolean() ? 0xff : rnd.nextInt(256));
                try (Whisper w = Whisper.load(f, ModelOptions.defaults().withConcurrency(1))) {
                    loaded++;
                } catch (ModelLoadException e) {
                    rejected++;
                }
                raf.seek(pos);
                raf.write(old);
            }
        }
        for (int i = 0; i < 8; i++) {
            long cut = headerBytes + (long) (rnd.nextDouble() * (size - headerBytes));
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            try (Whisper w = Whisper.load(f, ModelOptions.defaults().withConcurrency(1))) {
                throw new AssertionError("a model truncated at " + cut + " of " + size + " loaded");
            } catch (ModelLoadException e) {
                assertTrue(e.getMessage().contains("truncated"), e.getMessage());
                rejected++;
            }
            Files.copy(fixture, f, StandardCopyOption.REPLACE_EXISTING);
        }
        System.out.printf("68 damaged fixture models: %d loaded, %d rejected with ModelLoadException%n", loaded, rejected);
        assertTrue(rejected >= 8);
    }
}
