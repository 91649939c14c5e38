package io.github.whisperjava.examples;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * {@code java -jar transcribe.jar [options] FILE...}: whisper-cli's flags over whisper-java (see
 * {@link TranscribeCommand}); {@code models list} and {@code models pull SIZE [QUANT]} manage the model
 * cache; {@code live -} transcribes raw PCM from stdin as it arrives ({@link LiveCommand}). Exit code 0
 * on success; 1 when any file failed (each failure is one line on stderr, and the other files are still
 * printed) or the model could not be loaded; 2 on a usage error; 143/130 when
 * stopped by SIGTERM/SIGINT (the library's shutdown hook cancels running work first).
 */
public final class TranscribeCli {
    static final int USAGE_ERROR = 2;
    static final int FAILED = 1;

    private TranscribeCli() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** As {@link #run(String[], PrintStream, PrintStream)}, with {@code in} as stdin ({@code live -} reads it). */
    static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        return commandLine(in, out, err).execute(args);
    }

    /** What {@code --help} prints. */
    static String usage() {
        return commandLine(System.in, System.out, System.err).getUsageMessage(CommandLine.Help.Ansi.OFF);
    }

    private static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new TranscribeCommand(in, out, err));
        // whisper-cli's flags are words after one dash (-otxt, -ml): no -abc as -a -b -c
        cl.setPosixClusteredShortOptionsAllowed(false);
        UnsupportedFlags.addTo(cl);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setParameterExceptionHandler((e, a) -> {
            // the message and a pointer, not the whole option list, which would scroll the message away
            err.println("transcribe: " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("usage: java -jar transcribe.jar [options] FILE... | models list | models pull SIZE [QUANT] | live - | serve"
                    + " (--help lists the options)");
            return USAGE_ERROR;
        });
        cl.setExecutionExceptionHandler((e, c, p) -> {
            err.println("transcribe: " + oneLine(e));
            return FAILED;
        });
        return cl;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', ' ');
    }
}
