package io.github.whisperjava.examples;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Why a result file could not be written, in words. The exceptions alone do not say: a missing folder
 * is a NoSuchFileException whose message is only the path of the file being created, and permission
 * denied is an AccessDeniedException with no reason at all.
 */
final class WriteFailure {
    private WriteFailure() {}

    static String why(Path file, IOException e) {
        Path folder = file.getParent();
        if (folder != null && !Files.exists(folder)) {
            return "directory " + folder + " does not exist";
        }
        if (folder != null && !Files.isDirectory(folder)) {
            return folder + " is not a directory";
        }
        if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
            return file + " is a directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason(); // the system's words: Read-only file system, No space left on device
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
