package io.github.whisperjava.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a path that is no regular file names, in words: "names no file" sends someone who typed
 * {@code -m /tmp} or {@code /dev/null} looking for a file that is missing, when the path is there and is
 * a directory or a device.
 */
final class PathKind {
    // the file type bits of st_mode (sys/stat.h), as the "unix" attribute view reports them
    private static final int TYPE_BITS = 0170000;
    private static final int CHARACTER_DEVICE = 0020000;
    private static final int BLOCK_DEVICE = 0060000;
    private static final int NAMED_PIPE = 0010000;
    private static final int SOCKET = 0140000;

    private PathKind() {}

    /** "a directory", "a character device", ... for a path that exists and is no regular file. */
    static String of(Path path) {
        if (Files.isDirectory(path)) {
            return "a directory";
        }
        try {
            return switch ((Integer) Files.getAttribute(path, "unix:mode") & TYPE_BITS) {
                case CHARACTER_DEVICE -> "a character device";
                case BLOCK_DEVICE -> "a block device";
                case NAMED_PIPE -> "a named pipe";
                case SOCKET -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "a special file"; // no "unix" view (Windows): the type has no name here
        }
    }
}
