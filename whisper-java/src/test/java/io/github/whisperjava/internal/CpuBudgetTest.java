package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.ModelBusyException;
import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Whisper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A call gets between one thread and what it asked for, never more than are free. */
class CpuBudgetTest {
    @Test
    void handsOutWhatIsFreeAndAtLeastOne() throws Exception {
        CpuBudget b = new CpuBudget(2);
        assertEquals(2, b.acquire(4, -1));
        assertEquals(2, b.inUse());
        assertThrows(NativeModel.PoolTimeoutException.class, () -> b.acquire(1, TimeUnit.MILLISECONDS.toNanos(20)));
        b.release(1);
        assertEquals(1, b.acquire(4, 0));
        b.release(2);
        assertEquals(1, b.acquire(1, 0));
        assertEquals(1, b.acquire(3, 0));
        b.release(2);
        assertEquals(0, b.inUse());
    }

    /**
     * A call whose state is free but finds the process's CPU budget spent used to be told that "all 1
     * whisper states stayed busy": the message named the wrong wait.
     */
    @Test
    void aCallThatFindsTheCpuBudgetSpentIsToldSo() throws Exception {
        CpuBudget cpu = CpuBudget.process();
        float[] second = new float[16_000];
        Path model = Paths.get(System.getProperty("whisper.shared.dir", "../../shared"), "models/for-tests-ggml-tiny.bin");
        try (Whisper w = Whisper.load(model, ModelOptions.defaults().withConcurrency(1))) {
            int held = 0;
            try {
                while (cpu.inUse() < cpu.size()) {
                    held += cpu.acquire(cpu.size(), -1); // what other calls would hold
                }
                ModelBusyException e = assertThrows(ModelBusyException.class, () -> w.transcribe(second,
                        TranscribeParams.builder().queueTimeout(Duration.ofMillis(50)).build()));
                assertTrue(e.getMessage().contains("CPU budget") && !e.getMessage().contains("states"),
                        e.getMessage());
            } finally {
                cpu.release(held);
            }
        }
    }

    @Test
    void aWaiterGetsThreadsWhenTheyAreReturned() throws Exception {
        CpuBudget b = new CpuBudget(1);
        b.acquire(1, -1);
        int[] got = new int[1];
        Thread t = new Thread(() -> {
            try {
                got[0] = b.acquire(1, -1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        t.join(100);
        assertEquals(true, t.isAlive(), "took a thread that was not free");
        b.release(1);
        t.join(10_000);
        assertEquals(1, got[0]);
    }

    @Test
    void aBudgetBeyondAnyUseIsCappedAndTheLogSaysSo() {
        PrintStream saved = System.err;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8)); // where slf4j-simple writes, when it writes
        try {
            assertEquals(512, CpuBudget.sizeFor("99999", 2));
        } finally {
            System.setErr(saved);
        }
        String said = log.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("WHISPER_CPU_THREADS=99999 is more than") && said.contains("using 512"), said);
        assertEquals(1024, CpuBudget.sizeFor("99999", 1024), "a bigger machine: its cores");
        assertEquals(512, CpuBudget.sizeFor("512", 2), "the benchmarks' unbounded budget stays what it was");
        assertEquals(3, CpuBudget.sizeFor("3", 2));
        assertEquals(2, CpuBudget.sizeFor(null, 2));
        assertEquals(2, CpuBudget.sizeFor("0", 2));
    }
}
