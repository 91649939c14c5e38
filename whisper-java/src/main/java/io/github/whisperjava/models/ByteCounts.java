package io.github.whisperjava.models;

/**
 * Byte counts as people read them. Whole MiB alone print a VAD model (885 KB) or a small test model as
 * "0 of 0 MiB", so below 1 MiB the unit is KiB, and below 1 KiB bytes.
 */
final class ByteCounts {
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;

    private ByteCounts() {}

    /** {@code bytes} in the largest unit it has at least one of, e.g. {@code 562 KiB}. */
    static String of(long bytes) {
        return bytes / divisor(bytes) + " " + unit(bytes);
    }

    /** Both in the unit {@code total} calls for, e.g. {@code 281 of 562 KiB}, so that they compare at a glance. */
    static String progress(long done, long total) {
        return done / divisor(total) + " of " + total / divisor(total) + " " + unit(total);
    }

    private static long divisor(long scale) {
        return scale >= MIB ? MIB : scale >= KIB ? KIB : 1;
    }

    private static String unit(long scale) {
        return scale >= MIB ? "MiB" : scale >= KIB ? "KiB" : "bytes";
    }
}
