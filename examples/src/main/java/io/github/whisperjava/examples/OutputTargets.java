package io.github.whisperjava.examples;

import io.github.whisperjava.output.OutputFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a run will write, one per input and format, checked before anything is transcribed: two
 * inputs whose results land in one file (a/x.wav and b/x.wav under one --output-dir, one -of given
 * twice) would keep only the last, and a result written over an input destroys the audio.
 */
final class OutputTargets {
    private record Writer(int input, Path file) {}

    private OutputTargets() {}

    /** @throws IllegalArgumentException naming both inputs and the file, when two results share a file */
    static void checkDistinct(List<Path> inputs, List<OutputFormat> formats, OutputFlags output) {
        Map<Path, Integer> audio = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            audio.putIfAbsent(identity(inputs.get(i)), i);
        }
        Map<Path, Writer> written = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String base = output.base(i, inputs.get(i));
            if (base.equals(OutputFiles.STDOUT)) {
                continue; // results printed one after the other, none lost
            }
            for (OutputFormat format : formats) {
                Path file = OutputFiles.fileFor(base, format);
                Path id = identity(file);
                Writer earlier = written.putIfAbsent(id, new Writer(i, file));
                if (earlier != null) {
                    throw new IllegalArgumentException(inputs.get(earlier.input()) + " and " + inputs.get(i)
                            + " would both be written to " + earlier.file() + ": give each input its own -of BASE");
                }
                if (audio.containsKey(id)) {
                    throw new IllegalArgumentException("the " + format.id() + " result of " + inputs.get(i)
                            + " would be written over the input " + inputs.get(audio.get(id)) + ": choose another -of BASE");
                }
            }
        }
    }

    /**
     * One key per file however it is spelled: the real path of its folder, which resolves ".." and links
     * as the file system will, or the absolute path where the folder does not exist yet (--output-dir).
     */
    private static Path identity(Path file) {
        Path absolute = file.toAbsolutePath();
        try {
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute.normalize();
        }
    }
}
