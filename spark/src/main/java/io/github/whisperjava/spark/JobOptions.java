package io.github.whisperjava.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The job's command line.
 *
 * @param inputs     directories (read recursively) or globs, anything Hadoop's file systems read
 * @param manifest   a table of paths instead: {@code .parquet}, {@code .csv} (header) or {@code .json}
 *                   with a {@code path} column, else a text file of one path per line; null if none
 * @param output     the result table; rows are appended, and a rerun skips what it already holds
 * @param format     {@code parquet} or {@code json}
 * @param batchFiles files per write: each batch is committed on its own, so a crash loses at most one
 */
public record JobOptions(List<String> inputs, String manifest, String output, String format, String language,
                         boolean words, int batchFiles) {

    static final String USAGE = """
            usage: TranscribeJob (--input DIR|GLOB ... | --manifest TABLE) --output DIR
                                 [--format parquet|json] [--language en|auto|..] [--words] [--batch-files N]""";

    public JobOptions {
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty() == (manifest == null)) {
            throw new IllegalArgumentException("give --input or --manifest (one of them)\n" + USAGE);
        }
        if (output == null) {
            throw new IllegalArgumentException("--output is required\n" + USAGE);
        }
        format = format.toLowerCase(Locale.ROOT);
        if (!format.equals("parquet") && !format.equals("json")) {
            throw new IllegalArgumentException("--format must be parquet or json, not " + format);
        }
        if (batchFiles < 1) {
            throw new IllegalArgumentException("--batch-files must be positive");
        }
    }

    /** Options for these inputs with the defaults: Parquet, English, no words, 1,000 files per batch. */
    public static JobOptions of(List<String> inputs, String output) {
        return new JobOptions(inputs, null, output, "parquet", "en", false, 1000);
    }

    public static JobOptions parse(String... args) {
        List<String> inputs = new ArrayList<>();
        String manifest = null;
        String output = null;
        String format = "parquet";
        String language = "en";
        boolean words = false;
        int batch = 1000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--input" -> inputs.add(value(args, ++i, a));
                case "--manifest" -> manifest = value(args, ++i, a);
                case "--output" -> output = value(args, ++i, a);
                case "--format" -> format = value(args, ++i, a);
                case "--language" -> language = value(args, ++i, a);
                case "--words" -> words = true;
                case "--batch-files" -> batch = Integer.parseInt(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown argument " + a + "\n" + USAGE);
            }
        }
        return new JobOptions(inputs, manifest, output, format, language, words, batch);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException(flag + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
