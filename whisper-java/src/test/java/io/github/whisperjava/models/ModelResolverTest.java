package io.github.whisperjava.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.ModelLoadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Resolution order and naming rules; no network: every chosen file is already in the cache, as a
 * one-byte stand-in stamped as verified (what is tested here is which file is chosen, not what it holds;
 * ModelDownloadTest tests verification).
 */
class ModelResolverTest {
    @TempDir
    Path cache;

    ModelResolver resolver(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("WHISPER_MODELS_DIR", cache.toString());
        all.putIfAbsent("WHISPER_OFFLINE", "1"); // any attempt to download fails the test loudly
        return new ModelResolver(Settings.of(all), ModelDownloader.defaults());
    }

    Path cached(String file) throws IOException {
        Path p = Files.write(cache.resolve(file), new byte[] {1});
        Digests real = Digests.of(p);
        Optional<ModelEntry> e = ModelCatalog.builtIn().entries().stream().filter(m -> m.file().equals(file)).findFirst();
        Digests claimed = new Digests(e.flatMap(ModelEntry::sha1).orElse(real.sha1()),
                e.flatMap(ModelEntry::sha256).orElse(real.sha256()));
        VerifiedStamp.of(p, claimed).write(p);
        return p;
    }

    @Test
    void defaultIsSmallQ5_1() throws IOException {
        Path f = cached("ggml-small-q5_1.bin");
        ResolvedModel r = resolver(Map.of()).resolve();
        assertEquals(f, r.file());
        assertTrue(r.reason().startsWith("default size small"), r.reason());
    }

    @Test
    void sizeAndQuantFromEnvironment() throws IOException {
        cached("ggml-base.en-q5_1.bin");
        cached("ggml-small-q8_0.bin");
        cached("ggml-large-v3-turbo.bin");
        assertEquals("ggml-base.en-q5_1.bin", file(Map.of("WHISPER_MODEL_SIZE", "base.en")));
        assertEquals("ggml-small-q8_0.bin", file(Map.of("WHISPER_MODEL_SIZE", "small", "WHISPER_MODEL_QUANT", "q8_0")));
        assertEquals("ggml-large-v3-turbo.bin",
                file(Map.of("WHISPER_MODEL_SIZE", "large-v3-turbo", "WHISPER_MODEL_QUANT", "f16")));
    }

    @Test
    void sizeWithoutQ5_1TakesTheNearestPublishedQuantization() throws IOException {
        cached("ggml-medium-q5_0.bin");
        cached("ggml-large-v3-q5_0.bin");
        assertEquals("ggml-medium-q5_0.bin", file(Map.of("WHISPER_MODEL_SIZE", "medium")));
        assertEquals("ggml-large-v3-q5_0.bin", file(Map.of("WHISPER_MODEL_SIZE", "large-v3")));
        assertEquals("small.en-tdrz", resolver(Map.of()).entryFor("small.en-tdrz", "q5_1").name());
    }

    @Test
    void modelPathBeatsSizeAndExplicitSpecBeatsBoth() throws IOException {
        Path own = Files.write(cache.resolve("my-finetune.bin"), new byte[] {1});
        cached("ggml-tiny-q5_1.bin");
        Map<String, String> env = Map.of("WHISPER_MODEL_PATH", own.toString(), "WHISPER_MODEL_SIZE", "base");
        assertEquals(own, resolver(env).resolve().file());
        assertEquals("ggml-tiny-q5_1.bin", resolver(env).resolve(ModelSpec.size("tiny")).file().getFileName().toString());
        assertEquals("ggml-tiny-q5_1.bin", resolver(env).resolve(ModelSpec.named("tiny-q5_1")).file().getFileName().toString());
        assertThrows(ModelLoadException.class,
                () -> resolver(Map.of("WHISPER_MODEL_PATH", cache.resolve("missing.bin").toString())).resolve());
    }

    @Test
    void systemPropertyTwinWinsOverTheVariable() throws IOException {
        cached("ggml-base-q5_1.bin");
        cached("ggml-tiny-q5_1.bin");
        String key = Settings.propertyName("WHISPER_MODEL_SIZE");
        assertEquals("whisper.model.size", key);
        System.setProperty(key, "base");
        try {
            ModelResolver r = new ModelResolver(Settings.system(), ModelDownloader.defaults());
            assertEquals("ggml-base-q5_1.bin", r.entryFor(
                    Settings.system().get("WHISPER_MODEL_SIZE").orElseThrow(), ModelResolver.DEFAULT_QUANT).file());
        } finally {
            System.clearProperty(key);
        }
        System.setProperty("whisper.models.dir", cache.toString());
        System.setProperty("whisper.offline", "1");
        System.setProperty("whisper.model.size", "tiny");
        try {
            assertEquals(cache.resolve("ggml-tiny-q5_1.bin"), ModelResolver.fromEnvironment().resolve().file());
        } finally {
            System.clearProperty("whisper.models.dir");
            System.clearProperty("whisper.offline");
            System.clearProperty("whisper.model.size");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"huge", "../../etc/passwd", "small/../../x", "/etc/passwd", "SMALL", "small.bin"})
    void unknownSizesListTheValidOnes(String size) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolver(Map.of("WHISPER_MODEL_SIZE", size)).resolve());
        assertTrue(e.getMessage().contains("valid sizes: tiny, tiny.en, base") && e.getMessage().contains("large-v3-turbo"),
                e.getMessage());
    }

    @Test
    void unknownQuantization() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolver(Map.of("WHISPER_MODEL_QUANT", "q3_k")).resolve());
        assertTrue(e.getMessage().contains("unknown quantization"), e.getMessage());
    }

    @Test
    void userCatalogueAddsModelsAndCannotEscapeTheCache(@TempDir Path dir) throws IOException {
        Path catalogue = Files.writeString(dir.resolve("extra.tsv"),
                "# mine\nmy-small\tmy-small\tq5_1\tggml-my-small.bin\t-\tmultilingual\tsmall\t-\t-\thttps://mirror.example/x.bin\n");
        cached("ggml-my-small.bin");
        ResolvedModel r = resolver(Map.of("WHISPER_MODEL_CATALOG", catalogue.toString(), "WHISPER_MODEL_SIZE", "my-small"))
                .resolve();
        assertEquals(cache.resolve("ggml-my-small.bin"), r.file());

        Path evil = Files.writeString(dir.resolve("evil.tsv"),
                "evil\tevil\tq5_1\t../../outside.bin\t-\tmultilingual\tsmall\t-\t-\t-\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> resolver(Map.of("WHISPER_MODEL_CATALOG", evil.toString())));
        assertTrue(e.getMessage().contains("not a plain file name"), e.getMessage());
    }

    @Test
    void catalogueHoldsEveryOfficialModelWithPublishedSha1() throws IOException {
        ModelCatalog c = ModelCatalog.builtIn();
        for (String size : new String[] {"tiny", "tiny.en", "base", "base.en", "small", "small.en", "small.en-tdrz",
                "medium", "medium.en", "large-v1", "large-v2", "large-v3", "large-v3-turbo"}) {
            assertTrue(c.sizes().contains(size), size);
        }
        Path official = ModelDownloadTest.SHARED_MODELS.resolve("OFFICIAL-SHA1.txt");
        for (String line : Files.readAllLines(official)) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            ModelEntry e = c.entries().stream().filter(x -> x.file().equals(f[1])).findFirst().orElseThrow(
                    () -> new AssertionError("catalogue lacks " + f[1]));
            assertEquals(f[0], e.sha1().orElse("(none)"), f[1]);
        }
    }

    private String file(Map<String, String> env) {
        return resolver(env).resolve().file().getFileName().toString();
    }
}
