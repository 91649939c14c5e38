package io.github.whisperjava.examples;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The audio files to transcribe: positional, or after {@code -f} as whisper-cli takes them, in the order given. */
final class InputFiles {
    private final List<Path> files = new ArrayList<>();
    private int positionalSeen;
    private int optionSeen;

    // picocli hands a multi-value setter the whole list so far; taking only the values it had not seen
    // keeps positional files and -f files in one list, in command-line order (outputs follow that order)
    @Parameters(paramLabel = "FILE", description = "audio files, transcribed and printed in this order")
    void positional(List<String> given) {
        positionalSeen = addNew(given, positionalSeen);
    }

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "one more input file (whisper-cli's form)")
    void option(List<String> given) {
        optionSeen = addNew(given, optionSeen);
    }

    private int addNew(List<String> given, int seen) {
        for (String name : given.subList(seen, given.size())) {
            files.add(Paths.get(name));
        }
        return given.size();
    }

    /** The files, checked: at least one, and each a file name (whisper-cli's "-" reads stdin; we do not). */
    List<Path> files() {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no audio file given");
        }
        if (files.stream().anyMatch(f -> f.toString().equals("-"))) {
            throw new IllegalArgumentException("reading audio from standard input (\"-\") is not supported: name a file");
        }
        return List.copyOf(files);
    }
}
