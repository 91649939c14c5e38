package io.github.whisperjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Switching model size is one environment variable and no rebuild: fresh JVMs with
 * WHISPER_MODEL_SIZE=small and then =medium each load a model of the size asked for, fetched from a
 * loopback mirror of the for-tests models. Run on its own, for one size:
 * {@code WHISPER_MODEL_SIZE=medium mvn -pl whisper-java -am test -Dtest=ModelSwitchTest -Dsurefire.failIfNoSpecifiedTests=false}
 */
class ModelSwitchTest {
    @TempDir
    Path cache;

    @Test
    void sizeFromTheEnvironmentPicksTheModel() throws Exception {
        String fromEnv = System.getenv("WHISPER_MODEL_SIZE");
        List<String> sizes = fromEnv == null || fromEnv.isBlank() ? List.of("small", "medium") : List.of(fromEnv);
        try (TestMirror mirror = new TestMirror()) {
            for (String size : sizes) {
                ModelEntry e = new ModelResolver(Settings.of(Map.of()), ModelDownloader.defaults())
                        .entryFor(size, ModelResolver.DEFAULT_QUANT);
                String forTests = e.type() + (e.multilingual() ? "" : ".en");
                mirror.serve(e.file(), Files.readAllBytes(ModelDownloadTest.SHARED_MODELS
                        .resolve("for-tests-ggml-" + forTests + ".bin")));

                Process p = io.github.whisperjava.TestJvm.start(cache, size, Map.of("WHISPER_MODEL_SIZE", size,
                        "WHISPER_MODELS_DIR", cache.toString(), "WHISPER_MODEL_BASE_URL", mirror.baseUrl()), List.of(),
                        ResolveMain.class);
                assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                String out = Files.readString(cache.resolve(size + ".log"));
                System.out.println("WHISPER_MODEL_SIZE=" + size + " -> " + out.lines()
                        .filter(l -> l.startsWith("type=")).findFirst().orElse(out));
                assertEquals(0, p.exitValue(), out);
                assertTrue(out.contains("type=" + e.type() + " file=" + e.file()), out);
                assertTrue(out.contains("source=WHISPER_MODEL_SIZE=" + size), out);
            }
        }
    }
}
