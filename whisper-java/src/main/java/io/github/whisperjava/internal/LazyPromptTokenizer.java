package io.github.whisperjava.internal;

/**
 * A model's {@link PromptTokenizer}, made on first use by the first call that needs it: building it
 * reads the whole vocabulary through a state (about 50 ms), which a model that never gets a prompt
 * should not pay.
 */
public final class LazyPromptTokenizer {
    private volatile PromptTokenizer tokenizer;

    public PromptTokenizer get(NativeModel.Lease lease) {
        PromptTokenizer p = tokenizer;
        if (p == null) {
            synchronized (this) {
                p = tokenizer;
                if (p == null) {
                    p = new PromptTokenizer(lease.vocabulary());
                    tokenizer = p;
                }
            }
        }
        return p;
    }
}
