package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model file rewritten while it loads: Java checks the header (GgmlModelHeader), then whisper.cpp reads
 * the model. Each load must either give a model with the header Java checked or throw
 * ModelLoadException; never a model with hyper-parameters nobody checked, which crash the JVM at its
 * first state (a GGML_ASSERT, or SIGSEGV in ggml_gallocr_alloc_graph). Each runs in a child JVM.
 * whisper.cpp is given the bytes Java checked, so a rewrite cannot reach it at all; a rewrite that
 * leaves the file's time stamp changed is also refused, as its tensor data may be another version's.
 */
class ModelFileRaceTest {
    @TempDir
    Path tmp;

    /**
     * Deterministic: the header is rewritten in place at the moment whisper.cpp logs "loading model",
     * after Java's check and before whisper.cpp reads a byte (the log line reaches SLF4J synchronously, on
     * the loading thread, and slf4j-simple writes to whatever System.err is then), and the file's time
     * stamp is put back, as a rewrite meant to pass unnoticed would. The bad header's n_audio_head 7 does
     * not divide n_audio_state 384: whisper.cpp accepts it, and its first state aborts on a GGML_ASSERT
     * (exit 134). The model must load with the header checked, and make its first state.
     */
    @Test
    void aHeaderRewrittenAfterItsCheckNeverReachesWhisperCpp() throws Exception {
        String out = hookProbe("restore-mtime");
        assertTrue(out.contains("outcome: loaded as checked") && out.contains("first state made"), out);
    }

    /** As above, but the rewrite leaves its time stamp: the load is refused. */
    @Test
    void aModelFileChangedWhileItLoadsIsRefused() throws Exception {
        String out = hookProbe("keep-mtime");
        assertTrue(out.contains("outcome: refused: ") && out.contains("the file changed while it was loading"), out);
    }

    private String hookProbe(String mode) throws Exception {
        Path model = Files.copy(TestData.forTestsModel("tiny"), tmp.resolve("model.bin"));
        Process p = TestJvm.start(tmp, mode, Map.of(),
                TestJvm.withNativePath("-Dorg.slf4j.simpleLogger.log.io.github.whisperjava.native=debug"),
                HookProbe.class, model.toString(), mode);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the probe did not end");
        String out = Files.readString(tmp.resolve(mode + ".log"));
        assertEquals(0, p.exitValue(), "the JVM died (134: abort on a GGML_ASSERT) or the probe failed:\n" + out);
        assertTrue(out.contains("hook: header rewritten"), "the hook never ran:\n" + out);
        return out;
    }

    /**
     * Loads in a loop while another thread rewrites the header in place, alternating the good one with
     * bad ones (the probe's n_audio_layer 1,000,000 and n_mels 0x7fffffff, and n_audio_head 7), about 300
     * times a second, putting the time stamp back after each. -Dwhisper.test.raceLoads sets how many
     * loads (default 120).
     */
    @Test
    void loadsWhileTheHeaderIsRewrittenInALoop() throws Exception {
        Path model = Files.copy(TestData.forTestsModel("tiny"), tmp.resolve("model.bin"));
        String loads = System.getProperty("whisper.test.raceLoads", "120");
        Process p = TestJvm.start(tmp, "loop", Map.of(), TestJvm.withNativePath(), LoopProbe.class, model.toString(), loads);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the probe did not end");
        String out = Files.readString(tmp.resolve("loop.log"));
        System.out.println(out.lines().filter(l -> l.startsWith("loop:")).reduce("", (a, b) -> a + b + "\n"));
        assertEquals(0, p.exitValue(), "the JVM died (134: abort, SIGSEGV) or the probe failed:\n" + out);
        assertTrue(out.contains("loop: done"), out);
        assertTrue(!out.contains("INCONSISTENT"), out);
        assertTrue(out.contains(" x loaded as checked"), "no load got through the rewrites:\n" + out);
    }

    static final int HPARAMS_AT = 4; // after the magic
    static final int HPARAMS_BYTES = 11 * 4;

    static ByteBuffer hparams(Path model) throws Exception {
        byte[] b = Arrays.copyOfRange(Files.readAllBytes(model), HPARAMS_AT, HPARAMS_AT + HPARAMS_BYTES);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The good hyper-parameters with some replaced: {index, value} pairs (0 n_vocab ... 9 n_mels). */
    static ByteBuffer withFields(ByteBuffer good, int... indexValue) {
        ByteBuffer b = ByteBuffer.allocate(HPARAMS_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.put(good.duplicate().rewind()).flip();
        for (int i = 0; i < indexValue.length; i += 2) {
            b.putInt(indexValue[i] * 4, indexValue[i + 1]);
        }
        return b;
    }

    static void rewrite(FileChannel ch, ByteBuffer hparams) throws Exception {
        ByteBuffer b = hparams.duplicate().rewind();
        while (b.hasRemaining()) {
            ch.write(b, HPARAMS_AT + b.position());
        }
    }

    /** "loaded as checked", or what differs from the good header: the model whisper.cpp made. */
    static String compare(ModelInfo info, ByteBuffer good) {
        int[] got = {info.vocabularySize(), info.audioContext(), info.audioState(), info.audioHeads(),
            info.audioLayers(), info.textContext(), info.textState(), info.textHeads(), info.textLayers(),
            info.melBands()};
        for (int i = 0; i < got.length; i++) {
            if (got[i] != good.getInt(i * 4)) {
                return "INCONSISTENT: hyper-parameter #" + i + " is " + got[i] + ", checked " + good.getInt(i * 4);
            }
        }
        return "loaded as checked";
    }

    /**
     * Loads args[0] once, rewriting its header to a bad one when whisper.cpp logs "loading model"; args[1]:
     * restore-mtime puts the file's time stamp back after, keep-mtime does not.
     */
    public static final class HookProbe {
        public static void main(String[] args) throws Exception {
            Path model = Paths.get(args[0]);
            boolean restore = args[1].equals("restore-mtime");
            ByteBuffer good = hparams(model);
            ByteBuffer bad = withFields(good, 3, 7); // n_audio_head 7
            PrintStream err = System.err;
            AtomicBoolean fired = new AtomicBoolean();
            System.setErr(new PrintStream(new OutputStream() {
                private final StringBuilder line = new StringBuilder();

                @Override
                public void write(int b) {
                    err.write(b);
                    if (b != '\n') {
                        line.append((char) b);
                        return;
                    }
                    if (line.indexOf("loading model") >= 0 && fired.compareAndSet(false, true)) {
                        try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
                            FileTime mtime = Files.getLastModifiedTime(model);
                            rewrite(ch, bad);
                            if (restore) {
                                Files.setLastModifiedTime(model, mtime);
                            }
                            err.println("hook: header rewritten after: " + line);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    line.setLength(0);
                }
            }, true, StandardCharsets.UTF_8));
            try (Whisper w = Whisper.load(model)) {
                err.println("outcome: " + compare(w.info(), good));
                err.flush();
                w.transcribe(new float[1600]); // the first state: where unchecked hyper-parameters crash
                err.println("first state made");
            } catch (ModelLoadException e) {
                err.println("outcome: refused: " + e.getMessage());
            }
        }
    }

    /** Loads args[0] args[1] times while a thread rewrites its header; prints what happened. */
    public static final class LoopProbe {
        public static void main(String[] args) throws Exception {
            Path model = Paths.get(args[0]);
            int loads = Integer.parseInt(args[1]);
            ByteBuffer good = hparams(model);
            ByteBuffer[] cycle = {good, withFields(good, 4, 1_000_000, 9, 0x7fffffff), good, withFields(good, 3, 7)};
            AtomicBoolean stop = new AtomicBoolean();
            FileTime mtime = Files.getLastModifiedTime(model);
            Thread rewriter = new Thread(() -> {
                try (FileChannel ch = FileChannel.open(model, StandardOpenOption.WRITE)) {
                    for (int i = 0; !stop.get(); i++) {
                        rewrite(ch, cycle[i % cycle.length]);
                        Files.setLastModifiedTime(model, mtime);
                        LockSupport.parkNanos(3_300_000);
                    }
                    rewrite(ch, good);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "rewriter");
            rewriter.setDaemon(true);
            rewriter.start();
            Map<String, Integer> outcomes = new TreeMap<>();
            for (int i = 0; i < loads; i++) {
                String outcome;
                try (Whisper w = Whisper.load(model)) {
                    outcome = compare(w.info(), good);
                    System.out.println("loop: load " + i + ": " + outcome);
                    System.out.flush();
                    w.transcribe(new float[1600]); // the first state
                } catch (ModelLoadException e) {
                    String m = e.getMessage();
                    outcome = "refused: " + m.substring(m.indexOf(": ", m.indexOf(" model ")) + 2).replaceAll("[0-9-]+", "N");
                }
                outcomes.merge(outcome, 1, Integer::sum);
            }
            stop.set(true);
            rewriter.join();
            outcomes.forEach((k, v) -> System.out.println("loop: " + v + " x " + k));
            System.out.println("loop: done");
        }
    }
}
