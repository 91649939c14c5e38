package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.audio.WavReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM at a random moment of a transcription ends the JVM cleanly: the shutdown hook cancels the
 * running calls and waits for them to leave whisper.cpp before exit() tears its libraries down.
 * Without it, exit during a transcription crashed in libggml-cpu (SIGSEGV).
 */
class ShutdownTest {
    static final int RUNS = 50;

    @TempDir
    Path tmp;

    @Test
    @Timeout(900)
    void fiftySigtermsDuringTranscriptionsLeaveNoCrash() throws Exception {
        Random rnd = new Random(143);
        int cancelledMidCall = 0;
        for (int i = 0; i < RUNS; i++) {
            Path dir = Files.createDirectories(tmp.resolve("run" + i));
            Process p = TestJvm.start(dir, "out", Map.of(), List.of("-Xss1m"), Loop.class, TestData.fixture("tiny", "q5_1").toString());
            waitForLine(dir.resolve("out.log"), "transcribing", p);
            Thread.sleep(rnd.nextInt(1500));
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "JVM " + i + " did not exit after SIGTERM");
            String out = Files.readString(dir.resolve("out.log"));
            assertEquals(List.of(), TestJvm.crashFiles(dir), "run " + i + " crashed:\n" + out);
            assertEquals(143, p.exitValue(), "run " + i + " exit code; output:\n" + out);
            if (out.contains("cancelling 1 running transcription")) {
                cancelledMidCall++;
            }
        }
        System.out.printf("%d SIGTERMs, %d of them during a native call, 0 crashes%n", RUNS, cancelledMidCall);
        // the probe spends nearly all its time inside whisper.cpp: most signals must land there
        assertTrue(cancelledMidCall >= RUNS / 2, "only " + cancelledMidCall + " signals hit a running call");
    }

    static void waitForLine(Path log, String line, Process p) throws Exception {
        for (int i = 0; i < 6000; i++) {
            if (Files.exists(log) && Files.readString(log).contains(line)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("probe exited early: " + Files.readString(log));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("probe never started: " + Files.readString(log));
    }

    /** Transcribes jfk.wav with the model in args[0], in a loop with two threads, until it is killed. */
    public static final class Loop {
        public static void main(String[] args) {
            float[] pcm = WavReader.read16kMono(TestData.JFK_WAV);
            try (Whisper w = Whisper.load(Paths.get(args[0]))) {
                TranscribeParams p = TranscribeParams.builder().threads(2).build();
                System.out.println("transcribing");
                System.out.flush();
                while (true) {
                    w.transcribe(pcm, p);
                }
            }
        }
    }
}
