package io.github.whisperjava.springai;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.models.ModelDownloader;
import io.github.whisperjava.models.ModelResolver;
import io.github.whisperjava.models.ResolvedModel;
import io.github.whisperjava.models.Settings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.audio.transcription.TranscriptionModel;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * One {@link Whisper} loaded with the context and closed with it, and a {@link WhisperTranscriptionModel}
 * over it. On by default; {@code spring.ai.model.audio.transcription} set to anything but {@code whisper}
 * (Spring AI's switch between transcription providers: {@code openai}, {@code none}, ...) turns it off.
 */
@AutoConfiguration
@ConditionalOnClass({Whisper.class, TranscriptionModel.class})
@ConditionalOnProperty(name = WhisperAutoConfiguration.PROVIDER_PROPERTY, havingValue = "whisper", matchIfMissing = true)
@EnableConfigurationProperties(WhisperProperties.class)
public class WhisperAutoConfiguration {
    /** Spring AI's own property naming the transcription provider (SpringAIModelProperties). */
    public static final String PROVIDER_PROPERTY = "spring.ai.model.audio.transcription";

    private static final Logger LOG = LoggerFactory.getLogger(WhisperAutoConfiguration.class);

    /** The library's settings that the resolver reads, and not from these properties: left to the environment. */
    private static final List<String> ENVIRONMENT_ONLY = List.of("WHISPER_MODEL_BASE_URL", "WHISPER_MODEL_CATALOG",
            "WHISPER_VAD_BASE_URL", "WHISPER_VAD_MODEL", "WHISPER_VAD_MODEL_NAME");

    /**
     * Owns the context's model: loads it, and closes it when the context ends. Every bean that uses the
     * model depends on it through the {@link Whisper} bean, so the context destroys them first.
     */
    @Bean
    @ConditionalOnMissingBean(Whisper.class)
    public WhisperModelOwner whisperModelOwner(WhisperProperties properties) {
        ModelOptions options = ModelOptions.defaults();
        if (properties.getConcurrency() != null) {
            int n = properties.getConcurrency();
            require(n >= 1 && n <= 1024, "concurrency must be 1..1024, got " + n);
            options = options.withConcurrency(n);
        }
        if (properties.getThreads() != null) {
            require(properties.getThreads() >= 1, "threads must be at least 1, got " + properties.getThreads());
        }
        ResolvedModel model;
        Whisper whisper;
        try {
            model = resolver(properties).resolve();
            whisper = Whisper.load(model, options);
        } catch (RuntimeException e) {
            // the library's message names its environment variable; name the property that set it
            String chosenBy = isSet(properties.getModelPath()) ? "model-path=" + properties.getModelPath()
                    : isSet(properties.getModelSize()) ? "model-size=" + properties.getModelSize() : null;
            if (chosenBy == null) {
                throw e;
            }
            throw new IllegalStateException(WhisperProperties.PREFIX + "." + chosenBy + ": " + e.getMessage(), e);
        }
        LOG.info("whisper model {} loaded ({}), {} transcriptions at once", whisper.modelPath(), model.reason(),
                options.concurrency());
        return new WhisperModelOwner(whisper);
    }

    /** No destroy method of its own: an inferred close() would close it silently, before its owner logs. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Whisper whisper(WhisperModelOwner owner) {
        return owner.whisper;
    }

    @Bean
    @ConditionalOnMissingBean
    public WhisperTranscriptionModel whisperTranscriptionModel(Whisper whisper, WhisperProperties properties) {
        WhisperTranscriptionOptions defaults = new WhisperTranscriptionOptions();
        defaults.setThreads(properties.getThreads());
        return new WhisperTranscriptionModel(whisper, defaults);
    }

    /** The properties over the process's environment and system properties, as the library's names. */
    static ModelResolver resolver(WhisperProperties p) {
        Settings system = Settings.system();
        Map<String, String> values = new HashMap<>();
        put(values, system, "WHISPER_MODEL_SIZE", p.getModelSize());
        put(values, system, "WHISPER_MODEL_QUANT", p.getModelQuant());
        put(values, system, "WHISPER_MODEL_PATH", p.getModelPath());
        put(values, system, "WHISPER_MODELS_DIR", p.getModelsDir());
        put(values, system, "WHISPER_OFFLINE", p.getOffline() == null ? null : p.getOffline().toString());
        for (String name : ENVIRONMENT_ONLY) {
            put(values, system, name, null);
        }
        // a size given here outranks a path from the environment: the property is the more specific choice
        if (isSet(p.getModelSize()) && !isSet(p.getModelPath())) {
            values.remove("WHISPER_MODEL_PATH");
        }
        return new ModelResolver(Settings.of(values), ModelDownloader.defaults());
    }

    private static boolean isSet(String property) {
        return property != null && !property.isBlank();
    }

    private static void put(Map<String, String> values, Settings system, String name, String property) {
        if (isSet(property)) {
            values.put(name, property.strip());
        } else {
            system.get(name).ifPresent(v -> values.put(name, v));
        }
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new IllegalArgumentException(WhisperProperties.PREFIX + "." + problem);
        }
    }

    /** Closes the context's model: waits for running transcriptions, then frees it. */
    public static final class WhisperModelOwner implements DisposableBean {
        private final Whisper whisper;

        WhisperModelOwner(Whisper whisper) {
            this.whisper = whisper;
        }

        @Override
        public void destroy() {
            if (!whisper.isClosed()) {
                whisper.close();
                LOG.info("whisper model {} closed with the application context", whisper.modelPath());
            }
        }
    }
}
