package io.github.whisperjava.examples;

import io.github.whisperjava.output.OutputFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Which result files to write and where: whisper-cli's {@code -otxt ... -ojf} and {@code -of}, or
 * {@code --output-format} with {@code --output-dir}. A file goes to {@code BASE + extension}, BASE being
 * the file's {@code -of} name, else {@code DIR/<input file name>}, else the input path (jfk.wav.srt).
 */
final class OutputFlags {
    /** The order whisper-cli writes them in; matters only for {@code -of -}, which takes the first. */
    private static final List<OutputFormat> CLI_ORDER = List.of(OutputFormat.TXT, OutputFormat.VTT, OutputFormat.SRT,
            OutputFormat.CSV, OutputFormat.JSON_FULL, OutputFormat.JSON, OutputFormat.LRC);

    @Option(names = "--output-format", paramLabel = "FORMAT", split = ",", converter = FormatName.class,
            description = "write txt, srt, vtt, csv, lrc, json or json-full files (several: comma separated or repeated)")
    List<OutputFormat> formats = new ArrayList<>();

    @Option(names = "--output-dir", paramLabel = "DIR", description = "write them to DIR/<input file name><ext>")
    Path dir;

    @Option(names = {"-of", "--output-file"}, paramLabel = "BASE",
            description = "write the Nth input's files to BASE<ext>, one -of per input in order; - for stdout (one format)")
    List<String> bases = new ArrayList<>();

    @Option(names = {"-otxt", "--output-txt"}, description = "as --output-format txt")
    boolean txt;

    @Option(names = {"-ovtt", "--output-vtt"}, description = "as --output-format vtt")
    boolean vtt;

    @Option(names = {"-osrt", "--output-srt"}, description = "as --output-format srt")
    boolean srt;

    @Option(names = {"-ocsv", "--output-csv"}, description = "as --output-format csv")
    boolean csv;

    @Option(names = {"-olrc", "--output-lrc"}, description = "as --output-format lrc")
    boolean lrc;

    @Option(names = {"-oj", "--output-json"}, description = "as --output-format json")
    boolean json;

    @Option(names = {"-ojf", "--output-json-full"}, description = "as --output-format json-full")
    boolean jsonFull;

    /**
     * The formats asked for, in whisper-cli's order. json and json-full are both {@code BASE.json}: as
     * with whisper-cli's {@code -oj -ojf}, the full one is written.
     */
    List<OutputFormat> formats() {
        Set<OutputFormat> wanted = formats.isEmpty() ? EnumSet.noneOf(OutputFormat.class) : EnumSet.copyOf(formats);
        add(wanted, txt, OutputFormat.TXT);
        add(wanted, vtt, OutputFormat.VTT);
        add(wanted, srt, OutputFormat.SRT);
        add(wanted, csv, OutputFormat.CSV);
        add(wanted, lrc, OutputFormat.LRC);
        add(wanted, json, OutputFormat.JSON);
        add(wanted, jsonFull, OutputFormat.JSON_FULL);
        if (wanted.contains(OutputFormat.JSON_FULL)) {
            wanted.remove(OutputFormat.JSON);
        }
        return CLI_ORDER.stream().filter(wanted::contains).toList();
    }

    private static void add(Set<OutputFormat> wanted, boolean flag, OutputFormat format) {
        if (flag) {
            wanted.add(format);
        }
    }

    void check(int inputs) {
        if (bases.size() > inputs) {
            throw new IllegalArgumentException("--output-file given " + bases.size() + " times for " + inputs
                    + " input file(s): one per input, in order");
        }
        if ((!bases.isEmpty() || dir != null) && formats().isEmpty()) {
            throw new IllegalArgumentException("--output-file and --output-dir need an output format "
                    + "(--output-format srt, -osrt, ...)");
        }
    }

    /** The base name of the Nth input's files ("-": stdout), before the format's extension. */
    String base(int index, Path input) {
        if (index < bases.size()) {
            return bases.get(index);
        }
        return dir != null ? dir.resolve(input.getFileName()).toString() : input.toString();
    }

    /** Format names as {@link OutputFormat#of} reads them, its message as the usage error. */
    static final class FormatName implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
