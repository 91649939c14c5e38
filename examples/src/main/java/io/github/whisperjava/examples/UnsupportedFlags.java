package io.github.whisperjava.examples;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.ISetter;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * whisper-cli's flags that whisper-java does not offer. Each is known to the parser (with its value, so
 * the value is not mistaken for an audio file) and refused as a usage error that says why, instead of
 * picocli's "unknown option" or, worse, silently transcribing without it.
 */
final class UnsupportedFlags {
    /** One whisper-cli flag: its names (the long one last), whether it takes a value, why we lack it. */
    record Flag(List<String> names, boolean takesValue, String reason) {
        String name() {
            return names.get(names.size() - 1);
        }
    }

    static final List<Flag> FLAGS = List.of(
            new Flag(List.of("-p", "--processors"), true, "it cuts the audio into N pieces transcribed apart "
                    + "(whisper_full_parallel), losing words at the cuts; --jobs N transcribes N files at once"),
            new Flag(List.of("-on", "--offset-n"), true, "the library's SRT writer numbers cues from 1"),
            new Flag(List.of("-debug", "--debug-mode"), false, "whisper.cpp's debug dumps are not exposed"),
            new Flag(List.of("-di", "--diarize"), false,
                    "whisper-java transcribes mono audio (stereo diarization compares the two channels)"),
            new Flag(List.of("-tdrz", "--tinydiarize"), false, "TranscribeParams has no speaker-turn (tdrz) setting"),
            new Flag(List.of("-owts", "--output-words"), false,
                    "the karaoke video script is not one of the library's output formats"),
            new Flag(List.of("-fp", "--font-path"), true, "it is the font of --output-words, which is not supported"),
            new Flag(List.of("-ps", "--print-special"), false,
                    "special tokens are not printed; json-full lists every token"),
            new Flag(List.of("-pc", "--print-colors"), false,
                    "no coloured output; json-full has each token's probability"),
            new Flag(List.of("--print-confidence"), false,
                    "no confidence highlighting; json-full has each token's probability"),
            new Flag(List.of("-ls", "--log-score"), false,
                    "the decoders' scores are not exposed; json-full has each token's probability"),
            new Flag(List.of("-oved", "--ov-e-device"), true, "whisper-java is built without OpenVINO"),
            new Flag(List.of("--carry-initial-prompt"), false,
                    "TranscribeParams has no setting to prepend --prompt to every window"),
            new Flag(List.of("--suppress-regex"), true, "TranscribeParams has no token suppression pattern"),
            new Flag(List.of("--grammar"), true, "TranscribeParams has no GBNF grammar"),
            new Flag(List.of("--grammar-rule"), true, "TranscribeParams has no GBNF grammar"),
            new Flag(List.of("--grammar-penalty"), true, "TranscribeParams has no GBNF grammar"));

    private UnsupportedFlags() {}

    static void addTo(CommandLine cl) {
        for (Flag flag : FLAGS) {
            cl.getCommandSpec().addOption(OptionSpec.builder(flag.names().toArray(String[]::new))
                    .arity(flag.takesValue() ? "1" : "0")
                    .type(flag.takesValue() ? String.class : boolean.class)
                    .hidden(true)
                    .setter(refuse(cl, flag))
                    .build());
        }
    }

    private static ISetter refuse(CommandLine cl, Flag flag) {
        return new ISetter() {
            @Override
            public <T> T set(T value) {
                // picocli also sets each option's initial value (null) before parsing: only a use is refused
                if (value != null && !Boolean.FALSE.equals(value)) {
                    throw new ParameterException(cl, flag.name() + " is not supported: " + flag.reason());
                }
                return null;
            }
        };
    }
}
