package io.github.whisperjava;

import java.time.Duration;

/** No whisper_state became free within {@link TranscribeParams#queueTimeout()}: the model is saturated. */
public class ModelBusyException extends WhisperException {
    private static final long serialVersionUID = 1L;

    public ModelBusyException(Duration waited, int poolSize) {
        super("all " + poolSize + " whisper states stayed busy for " + waited
                + "; raise ModelOptions.concurrency or the queue timeout");
    }
}
