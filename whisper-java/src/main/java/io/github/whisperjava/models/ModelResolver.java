package io.github.whisperjava.models;

import io.github.whisperjava.ModelLoadException;
import io.github.whisperjava.internal.UserDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which model file to load, and fetches it when it is not cached. First match wins:
 * <ol>
 *   <li>a {@link ModelSpec} passed in the API (a file, a catalogue name, or a size);
 *   <li>{@code WHISPER_MODEL_PATH}: a file;
 *   <li>{@code WHISPER_MODEL_SIZE} ({@code tiny|base|small|medium|large-v3|large-v3-turbo|...}, {@code .en}
 *       allowed) with {@code WHISPER_MODEL_QUANT} (default {@code q5_1}; {@code f16} is the unquantized
 *       file; a size without that quantization takes the nearest published one, and says so);
 *   <li>the default size, {@code small}.
 * </ol>
 * Each variable has a system-property twin ({@code whisper.model.size}, ...), see {@link Settings}.
 * Catalogue models live in {@code WHISPER_MODELS_DIR} (default {@code $XDG_CACHE_HOME/whisper-java/models}
 * or {@code ~/.cache/whisper-java/models}, where ~ is $HOME for a user without a passwd entry, see
 * {@code UserDirs.cacheHome}); one found there is used with no network access at all, once it is known to
 * be the model (see {@link CachedModel}); one that is not is downloaded again.
 */
public final class ModelResolver {
    private static final Logger LOG = LoggerFactory.getLogger(ModelResolver.class);

    public static final String DEFAULT_SIZE = "small";
    public static final String DEFAULT_QUANT = "q5_1";
    public static final String UPSTREAM_BASE_URL = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";
    public static final String UPSTREAM_VAD_BASE_URL = "https://huggingface.co/ggml-org/whisper-vad/resolve/main";
    /** When a size lacks the asked-for quantization: the nearest, by bits per weight. */
    private static final List<String> QUANT_ORDER = List.of("q4_0", "q4_1", "q5_0", "q5_1", "q8_0", "f16");

    private final Settings settings;
    private final ModelCatalog catalog;
    private final ModelDownloader downloader;
    private DownloadListener listener = DownloadListener.NONE;

    public ModelResolver(Settings settings, ModelDownloader downloader) {
        this.settings = settings;
        this.downloader = downloader;
        ModelCatalog c = ModelCatalog.builtIn();
        Optional<String> extra = settings.get("WHISPER_MODEL_CATALOG");
        this.catalog = extra.isPresent() ? c.with(Paths.get(extra.get())) : c;
    }

    /** From the process's environment and system properties. */
    public static ModelResolver fromEnvironment() {
        return new ModelResolver(Settings.system(), ModelDownloader.defaults());
    }

    public ModelResolver withListener(DownloadListener l) {
        this.listener = l;
        return this;
    }

    public ModelCatalog catalog() {
        return catalog;
    }

    public Path cacheDir() {
        return cacheDir(settings);
    }

    /** The model cache folder {@code settings} name (see the class comment), without reading the catalogue. */
    public static Path cacheDir(Settings settings) {
        return settings.get("WHISPER_MODELS_DIR").map(Paths::get)
                .orElseGet(() -> UserDirs.cacheHome().resolve("whisper-java").resolve("models"));
    }

    public String baseUrl() {
        return settings.get("WHISPER_MODEL_BASE_URL").orElse(UPSTREAM_BASE_URL);
    }

    /**
     * Where VAD models come from: {@code WHISPER_VAD_BASE_URL}; else a mirror named by
     * {@code WHISPER_MODEL_BASE_URL}, which serves every file; else upstream's VAD repository.
     */
    public String vadBaseUrl() {
        return settings.get("WHISPER_VAD_BASE_URL")
                .or(() -> settings.get("WHISPER_MODEL_BASE_URL"))
                .orElse(UPSTREAM_VAD_BASE_URL);
    }

    public boolean offline() {
        return settings.flag("WHISPER_OFFLINE");
    }

    /** Resolves from the environment alone. */
    public ResolvedModel resolve() {
        return resolve(null);
    }

    /** Resolves {@code spec} if given, else from the environment; downloads a catalogue model when missing. */
    public ResolvedModel resolve(ModelSpec spec) {
        if (spec != null) {
            if (spec.path().isPresent()) {
                return new ResolvedModel(existingFile(spec.path().get(), "the given path"), Optional.empty(),
                        "explicit file");
            }
            if (spec.name().isPresent()) {
                ModelEntry e = catalog.find(spec.name().get()).filter(m -> !m.isVad())
                        .orElseThrow(() -> unknown(spec.name().get()));
                return fromCatalog(e, "explicit model " + e.name());
            }
            return bySize(spec.size().orElse(DEFAULT_SIZE), spec.quant().orElse(quantSetting()), "explicit size");
        }
        Optional<String> path = settings.get("WHISPER_MODEL_PATH");
        if (path.isPresent()) {
            return new ResolvedModel(existingFile(Paths.get(path.get()), "WHISPER_MODEL_PATH"), Optional.empty(),
                    "WHISPER_MODEL_PATH=" + path.get());
        }
        Optional<String> size = settings.get("WHISPER_MODEL_SIZE");
        if (size.isPresent()) {
            return bySize(size.get(), quantSetting(), "WHISPER_MODEL_SIZE=" + size.get());
        }
        return bySize(DEFAULT_SIZE, quantSetting(), "default size " + DEFAULT_SIZE);
    }

    /** The catalogue's default voice activity detection model. */
    public static final String DEFAULT_VAD_MODEL = "silero-v6.2.0";

    /**
     * The Silero VAD model: the file {@code WHISPER_VAD_MODEL} names, else the catalogue entry
     * {@code WHISPER_VAD_MODEL_NAME} (default {@value #DEFAULT_VAD_MODEL}), downloaded and verified on
     * first use like a whisper model.
     */
    public ResolvedModel resolveVad() {
        Optional<String> path = settings.get("WHISPER_VAD_MODEL");
        if (path.isPresent()) {
            return new ResolvedModel(existingFile(Paths.get(path.get()), "WHISPER_VAD_MODEL"), Optional.empty(),
                    "WHISPER_VAD_MODEL=" + path.get());
        }
        String name = settings.get("WHISPER_VAD_MODEL_NAME").orElse(DEFAULT_VAD_MODEL);
        ModelEntry e = catalog.find(name).filter(ModelEntry::isVad).orElseThrow(() -> new IllegalArgumentException(
                "unknown VAD model \"" + name + "\"; the catalogue has "
                        + catalog.entries().stream().filter(ModelEntry::isVad).map(ModelEntry::name).toList()));
        return fromCatalog(e, "VAD model " + e.name());
    }

    /** The catalogue entry a size and quantization select (nearest quantization when not published). */
    public ModelEntry entryFor(String size, String quant) {
        List<ModelEntry> ofSize = catalog.ofSize(size);
        if (ofSize.isEmpty()) {
            throw unknownSize(size);
        }
        for (ModelEntry e : ofSize) {
            if (e.quant().equals(quant)) {
                return e;
            }
        }
        int want = QUANT_ORDER.indexOf(quant);
        if (want < 0) {
            throw new IllegalArgumentException("unknown quantization \"" + quant + "\"; valid: " + QUANT_ORDER);
        }
        ModelEntry best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (ModelEntry e : ofSize) {
            int d = Math.abs(QUANT_ORDER.indexOf(e.quant()) - want);
            if (QUANT_ORDER.contains(e.quant()) && d < bestDistance) {
                best = e;
                bestDistance = d;
            }
        }
        if (best == null) {
            throw unknownSize(size);
        }
        LOG.info("{} is not published as {}; using the nearest, {} ({})", size, quant, best.quant(), best.file());
        return best;
    }

    private ResolvedModel bySize(String size, String quant, String reason) {
        ModelEntry e = entryFor(size, quant);
        return fromCatalog(e, reason + ", " + e.quant());
    }

    private ResolvedModel fromCatalog(ModelEntry e, String reason) {
        Path cacheDir = cacheDir();
        if (offline()) {
            Path cached = cacheDir.resolve(e.file());
            if (!Files.isRegularFile(cached)) {
                throw new ModelDownloadException(e.file() + " is not in " + cacheDir + " and WHISPER_OFFLINE forbids "
                        + "downloading it; put it there, or unset WHISPER_OFFLINE");
            }
            Optional<String> problem = CachedModel.problem(e, cached);
            if (problem.isPresent()) {
                throw new ModelIntegrityException(cached + " is not the model " + e.name() + ": " + problem.get()
                        + "; WHISPER_OFFLINE forbids downloading it again: replace it, or unset WHISPER_OFFLINE");
            }
            return new ResolvedModel(cached, Optional.of(e), reason + ", cached");
        }
        ModelDownloader.Fetched f = downloader.fetchModel(e, e.isVad() ? vadBaseUrl() : baseUrl(), cacheDir, listener);
        return new ResolvedModel(f.file(), Optional.of(e), reason + (f.downloaded() ? ", downloaded" : ", cached"));
    }

    private String quantSetting() {
        return settings.get("WHISPER_MODEL_QUANT").orElse(DEFAULT_QUANT);
    }

    private static Path existingFile(Path p, String what) {
        if (!Files.isRegularFile(p)) {
            throw new ModelLoadException(p, what + " names no file");
        }
        return p;
    }

    private IllegalArgumentException unknownSize(String size) {
        return new IllegalArgumentException("unknown model size \"" + size + "\"; valid sizes: "
                + String.join(", ", catalog.sizes()));
    }

    private IllegalArgumentException unknown(String name) {
        return new IllegalArgumentException("unknown model \"" + name + "\"; see the catalogue ("
                + catalog.entries().size() + " models, e.g. small-q5_1, base.en, large-v3-turbo-q5_0)");
    }
}
