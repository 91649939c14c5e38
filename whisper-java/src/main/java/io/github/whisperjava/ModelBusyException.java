package io.github.whisperjava;

import java.time.Duration;

/**
 * Nothing to run on became free within {@link TranscribeParams#queueTimeout()}: every whisper_state of
 * the model was busy, or the process's CPU budget was all in use by other transcriptions. The message
 * says which.
 */
public class ModelBusyException extends WhisperException {
    private static final long serialVersionUID = 1L;

    public ModelBusyException(Duration waited, int poolSize) {
        super("all " + poolSize + " whisper states stayed busy for " + waited
                + "; raise ModelOptions.concurrency or the queue timeout");
    }

    private ModelBusyException(String message) {
        super(message);
    }

    /**
     * A state was free, but no thread of the process's CPU budget (shared by every model of the JVM)
     * became free in what was left of the queue timeout.
     */
    static ModelBusyException cpuBudgetSpent(Duration waited, int budget) {
        return new ModelBusyException("all " + budget + " threads of this JVM's CPU budget stayed in use by other "
                + "transcriptions (on this model or others) for " + waited + "; raise the queue timeout, run fewer "
                + "transcriptions at once, or raise WHISPER_CPU_THREADS (more threads than cores slow every call)");
    }
}
