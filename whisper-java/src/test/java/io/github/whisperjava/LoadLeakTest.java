package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load that fails after whisper.cpp made the context frees it (NativeModel.open). The one real way
 * found to make that step fail: the first model of a JVM loaded while the JVM is shutting down, when
 * registering with ShutdownGuard fails (its class cannot add its shutdown hook then, and every later
 * use of the class fails too). A probe JVM does that 20 times from a shutdown hook; each leaked context
 * of the for-tests base model would keep its buffers mapped, so the address space must not grow.
 * (If loading during shutdown is ever made to work, this test needs another trigger; none other is
 * known: every other step after initContext only copies numbers whisper.cpp reports.)
 */
class LoadLeakTest {
    static final int LOADS = 20;
    /** One leaked base-sized context maps well over this; 20 of them, about 3 GiB. */
    static final long MAX_GROWTH_KB = 64 * 1024;

    @TempDir
    Path tmp;

    @Test
    void aLoadThatFailsAfterInitFreesTheContext() throws Exception {
        String out = TestJvm.run(tmp, "load-leak", Map.of(), List.of("-Xmx64m"), Probe.class);
        assertTrue(out.contains("refused: "), out);
        String line = out.lines().filter(l -> l.startsWith("vm ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = line.split(" ");
        long first = Long.parseLong(f[1]);
        long last = Long.parseLong(f[2]);
        System.out.printf("address space: %d KiB after the first failed load, %d KiB after %d (growth %d KiB, "
                + "bound %d KiB)%n", first, last, LOADS, last - first, MAX_GROWTH_KB);
        assertTrue(last - first < MAX_GROWTH_KB, "failed loads grew the address space by " + (last - first)
                + " KiB: the context is not freed\n" + out);
    }

    public static final class Probe {
        public static void main(String[] args) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                long first = 0;
                for (int i = 0; i < LOADS; i++) {
                    try (Whisper w = Whisper.load(TestData.forTestsModel("base"))) {
                        System.out.println("loaded during shutdown: this test needs another trigger");
                        return;
                    } catch (RuntimeException | Error e) {
                        if (i < 2) {
                            System.out.println("refused: " + e);
                        }
                    }
                    if (i == 0) {
                        first = vmKb();
                    }
                }
                System.out.println("vm " + first + " " + vmKb());
                System.out.flush();
            }));
        }

        static long vmKb() {
            try {
                for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                    if (line.startsWith("VmSize:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("no VmSize");
        }
    }
}
