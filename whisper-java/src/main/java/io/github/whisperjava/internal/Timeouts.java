package io.github.whisperjava.internal;

import java.time.Duration;

/** Durations as the pool and the shim compare them: System.nanoTime() values (CLOCK_MONOTONIC in C). */
public final class Timeouts {
    private Timeouts() {}

    /**
     * {@code d} in nanoseconds, saturated at about 146 years: a timeout of 365,000 days means "never",
     * not an ArithmeticException.
     */
    public static long nanos(Duration d) {
        return d.compareTo(Duration.ofNanos(Long.MAX_VALUE / 2)) >= 0 ? Long.MAX_VALUE / 2 : d.toNanos();
    }

    /** A System.nanoTime() deadline {@code timeout} from now, as the shim reads it; never 0 (0 means none). */
    public static long deadline(Duration timeout) {
        long d = System.nanoTime() + nanos(timeout);
        return d == 0 ? 1 : d;
    }
}
