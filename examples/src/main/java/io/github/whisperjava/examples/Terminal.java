package io.github.whisperjava.examples;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Whether a stream is the process's stdout on a terminal, where a line can be redrawn. */
final class Terminal {
    private Terminal() {}

    static boolean isTerminal(PrintStream out) {
        if (out != System.out) {
            return false;
        }
        // JDK 17's System.console() is null as soon as stdin is a pipe, which is how live is fed
        // (arecord | java ...): where /proc says what fd 1 is, ask it instead
        Path fd1 = Paths.get("/proc/self/fd/1");
        if (Files.isSymbolicLink(fd1)) {
            try {
                String target = Files.readSymbolicLink(fd1).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            } catch (java.io.IOException | SecurityException e) {
                return false;
            }
        }
        return System.console() != null;
    }
}
