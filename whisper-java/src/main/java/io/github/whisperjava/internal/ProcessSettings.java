package io.github.whisperjava.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The process-wide settings an application gave through {@code WhisperRuntime}, and the moment they
 * stop being changeable: the first time the library reads any of them (the CPU budget, the natives
 * cache, the shutdown grace are each read once, when first needed, and kept for the JVM's life).
 * A setting not given falls back to the environment, as before.
 */
public final class ProcessSettings {
    private static Integer cpuThreads; // all guarded by the class
    private static Path nativeCache;
    private static Duration shutdownGrace;
    private static String firstRead;

    private ProcessSettings() {}

    /** Sets what is not null; refuses once any setting was read, naming the one that was. */
    public static synchronized void set(Integer cpuThreads, Path nativeCache, Duration shutdownGrace) {
        if (firstRead != null) {
            throw new IllegalStateException("whisper-java's process settings can no longer change: " + firstRead
                    + " was already read, when the library was first used; configure WhisperRuntime before "
                    + "loading the first model");
        }
        if (cpuThreads != null) {
            ProcessSettings.cpuThreads = cpuThreads;
        }
        if (nativeCache != null) {
            ProcessSettings.nativeCache = nativeCache;
        }
        if (shutdownGrace != null) {
            ProcessSettings.shutdownGrace = shutdownGrace;
        }
    }

    /** Whether {@link #set} would still be accepted. */
    public static synchronized boolean configurable() {
        return firstRead == null;
    }

    static synchronized Optional<Integer> cpuThreads() {
        read("the CPU budget");
        return Optional.ofNullable(cpuThreads);
    }

    static synchronized Optional<Path> nativeCache() {
        read("the natives cache folder");
        return Optional.ofNullable(nativeCache);
    }

    static synchronized Optional<Duration> shutdownGrace() {
        read("the shutdown grace");
        return Optional.ofNullable(shutdownGrace);
    }

    /** The natives are being loaded: from now on nothing changes, whichever setting was read. */
    static synchronized void nativesLoading() {
        read("the native libraries");
    }

    private static void read(String what) {
        if (firstRead == null) {
            firstRead = what;
        }
    }
}
