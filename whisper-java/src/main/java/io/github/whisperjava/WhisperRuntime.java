package io.github.whisperjava;

import io.github.whisperjava.internal.ProcessSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings that belong to the whole JVM rather than to one model: the CPU budget every
 * transcription shares, the folder the natives are extracted to, and how long the shutdown hook waits
 * for running calls. Each is read once, when the library first needs it, and kept; by default from the
 * environment ({@code WHISPER_CPU_THREADS}, {@code WHISPER_NATIVE_CACHE}, {@code WHISPER_SHUTDOWN_GRACE},
 * or their {@code -Dwhisper.*} properties). An application that wants them in code sets them here, once,
 * before it loads its first model; what it sets wins over the environment, and what it leaves unset
 * still comes from there.
 *
 * <pre>{@code
 * WhisperRuntime.configure().cpuThreads(8).nativeCache(Path.of("/var/cache/whisper")).apply();
 * try (Whisper whisper = Whisper.load()) { ... }
 * }</pre>
 */
public final class WhisperRuntime {
    private WhisperRuntime() {}

    /** Settings to {@link Settings#apply() apply}; nothing changes until then. */
    public static Settings configure() {
        return new Settings();
    }

    /** Whether {@link Settings#apply()} would still be accepted: the library has read none of its settings yet. */
    public static boolean isConfigurable() {
        return ProcessSettings.configurable();
    }

    /** What to set; a setting not given keeps its environment default. */
    public static final class Settings {
        private Integer cpuThreads;
        private Path nativeCache;
        private Duration shutdownGrace;

        private Settings() {}

        /** Threads all transcriptions of this JVM share at most ({@code WHISPER_CPU_THREADS}; default: the cores). */
        public Settings cpuThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("cpuThreads must be at least 1, got " + threads);
            }
            this.cpuThreads = threads;
            return this;
        }

        /** Where the natives are extracted and checked ({@code WHISPER_NATIVE_CACHE}). */
        public Settings nativeCache(Path folder) {
            this.nativeCache = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** How long the shutdown hook waits for running calls, 0 to 1 hour ({@code WHISPER_SHUTDOWN_GRACE}). */
        public Settings shutdownGrace(Duration grace) {
            Objects.requireNonNull(grace, "grace");
            if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("shutdownGrace must be 0 to 1 hour, got " + grace);
            }
            this.shutdownGrace = grace;
            return this;
        }

        /**
         * Makes these the JVM's settings.
         *
         * @throws IllegalStateException if the library already read its settings (a model was loaded, or
         *     the natives were), naming what was read: they are fixed for the JVM's life from then on
         */
        public void apply() {
            ProcessSettings.set(cpuThreads, nativeCache, shutdownGrace);
        }
    }
}
