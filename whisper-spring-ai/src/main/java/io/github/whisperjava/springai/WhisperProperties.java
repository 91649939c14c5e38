package io.github.whisperjava.springai;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code spring.ai.whisper.*}: which model the context loads and how. Each model property is the
 * library's environment variable of the same meaning ({@code WHISPER_MODEL_SIZE}, ...), which still
 * applies where the property is not set.
 */
@ConfigurationProperties(WhisperProperties.PREFIX)
public class WhisperProperties {
    public static final String PREFIX = "spring.ai.whisper";

    /** Catalogue size: tiny, base, small, medium, large-v3, ... (WHISPER_MODEL_SIZE; default small). */
    private String modelSize;
    /** Quantization: q5_1, q8_0, f16, ... (WHISPER_MODEL_QUANT; default q5_1). */
    private String modelQuant;
    /** A ggml model file; wins over the size (WHISPER_MODEL_PATH). */
    private String modelPath;
    /** Where catalogue models are downloaded and cached (WHISPER_MODELS_DIR). */
    private String modelsDir;
    /** Never download: a model missing from the cache is an error (WHISPER_OFFLINE). */
    private Boolean offline;
    /** Transcriptions at once on the one model (each holds a whisper_state); default: one per processor. */
    private Integer concurrency;
    /** CPU threads of each transcription; default: the library's. */
    private Integer threads;

    public String getModelSize() {
        return modelSize;
    }

    public void setModelSize(String modelSize) {
        this.modelSize = modelSize;
    }

    public String getModelQuant() {
        return modelQuant;
    }

    public void setModelQuant(String modelQuant) {
        this.modelQuant = modelQuant;
    }

    public String getModelPath() {
        return modelPath;
    }

    public void setModelPath(String modelPath) {
        this.modelPath = modelPath;
    }

    public String getModelsDir() {
        return modelsDir;
    }

    public void setModelsDir(String modelsDir) {
        this.modelsDir = modelsDir;
    }

    public Boolean getOffline() {
        return offline;
    }

    public void setOffline(Boolean offline) {
        this.offline = offline;
    }

    public Integer getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(Integer concurrency) {
        this.concurrency = concurrency;
    }

    public Integer getThreads() {
        return threads;
    }

    public void setThreads(Integer threads) {
        this.threads = threads;
    }
}
