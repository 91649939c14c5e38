package io.github.whisperjava.examples;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The CLI in this JVM on whisper.cpp's for-tests tiny model, which loads and runs but decodes no text:
 * for what the CLI does around a transcription (its files, its messages), not for what the text says.
 * TranscribeCliTest's fixture needs whisper.cpp's tools built beside the tree; this needs only shared/.
 */
final class InProcessCli {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir")).toAbsolutePath().normalize();
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    static final Path TINY = SHARED.resolve("models/for-tests-ggml-tiny.bin");

    record Result(int exit, String out, String err) {}

    private InProcessCli() {}

    static Result cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TranscribeCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The CLI on the tiny model with one thread, then {@code args}. */
    static Result onTiny(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "-m";
        all[1] = TINY.toString();
        all[2] = "-t";
        all[3] = "1";
        System.arraycopy(args, 0, all, 4, args.length);
        return cli(all);
    }
}
