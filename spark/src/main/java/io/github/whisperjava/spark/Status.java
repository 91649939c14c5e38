package io.github.whisperjava.spark;

import java.util.Locale;

/**
 * A file's outcome. A rerun skips {@link #OK} and {@link #INVALID} files whose content is unchanged:
 * the second would fail the same way. {@link #ERROR} (unreadable right now, out of memory, a model
 * that failed to load) may pass next time, so it is tried again.
 */
public enum Status {
    /** Transcribed. */
    OK,
    /** Not audio the library reads (unknown or unsupported format, broken, too long): the file's fault. */
    INVALID,
    /** Anything else; retried by the next run. */
    ERROR;

    /** The value in the {@code status} column. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
