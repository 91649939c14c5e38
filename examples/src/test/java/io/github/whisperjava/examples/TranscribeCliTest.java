package io.github.whisperjava.examples;

import static io.github.whisperjava.examples.InProcessCli.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.whisperjava.examples.InProcessCli.Result;
import io.github.whisperjava.fixtures.ModelFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI in this JVM, against whisper-cli built from the same pinned source: on the random-weights
 * fixture (which decodes deterministic noise text) the same flags must give the same files.
 */
class TranscribeCliTest {
    static final Path SHARED = Paths.get(System.getProperty("whisper.shared.dir")).toAbsolutePath().normalize();
    static final Path JFK = SHARED.resolve("audio/jfk.wav");
    /** jfk.wav as MP3, FLAC and Ogg Vorbis (whisper-java's test resources). */
    static final Path AUDIO = Paths.get(System.getProperty("whisper.audio.fixtures")).toAbsolutePath().normalize();
    static final Path CPP_BIN = Paths.get(System.getProperty("whisper.cpp.bin")).toAbsolutePath().normalize();
    static final Path MODEL = ModelFixture.generateUnchecked("tiny", "q5_1",
            Paths.get(System.getProperty("whisper.fixtures.dir")), SHARED.resolve("models"), CPP_BIN, 42);
    /** whisper-cli's flags for the library's defaults (greedy, best of 5), two threads, English. */
    static final List<String> SAME_DECODING = List.of("-t", "2", "-bs", "1", "-bo", "5", "-l", "en");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static List<String> ours(String... flags) {
        List<String> args = new ArrayList<>(List.of("-m", MODEL.toString()));
        args.addAll(SAME_DECODING);
        args.addAll(List.of(flags));
        return args;
    }

    /** whisper-cli on jfk.wav with the same model and decoding; its output (stdout and stderr). */
    static String whisperCli(String... flags) throws Exception {
        return whisperCliOn(JFK, flags);
    }

    static String whisperCliOn(Path audio, String... flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CPP_BIN.resolve("whisper-cli").toString(), "-m", MODEL.toString(),
                "-f", audio.toString()));
        cmd.addAll(SAME_DECODING);
        cmd.addAll(List.of(flags));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "whisper-cli hung");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    @Test
    void everyOutputFormatIsWhisperClisFileNamedAfterTheInput() throws Exception {
        Path theirs = Files.createDirectories(tmp.resolve("whisper-cli"));
        whisperCli("-otxt", "-ovtt", "-osrt", "-ocsv", "-olrc", "-ojf", "-of", theirs.resolve("jfk.wav").toString());
        Path dir = tmp.resolve("ours"); // does not exist yet: --output-dir makes it
        List<String> args = ours("--output-format", "txt,srt,vtt,csv,lrc,json,json-full", "--output-dir", dir.toString(),
                JFK.toString());
        Result r = cli(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("== " + JFK), "stdout keeps the listing: " + r.out());

        for (String ext : List.of(".txt", ".srt", ".vtt", ".csv", ".lrc")) {
            Path file = dir.resolve("jfk.wav" + ext);
            assertTrue(Files.isRegularFile(file), "--output-dir names files <input name><ext>: " + file);
            assertEquals(Files.readString(theirs.resolve("jfk.wav" + ext)), Files.readString(file), ext);
        }
        // json and json-full are both .json: as with whisper-cli's -oj -ojf, the full one is written
        try (var files = Files.list(dir)) {
            assertEquals(6, files.count(), "one file per extension");
        }
        ObjectNode cli = (ObjectNode) JSON.readTree(theirs.resolve("jfk.wav.json").toFile());
        ObjectNode mine = (ObjectNode) JSON.readTree(dir.resolve("jfk.wav.json").toFile());
        assertEquals(MODEL.toString(), mine.at("/params/model").asText(), "the -m argument, as whisper-cli writes it");
        JsonNode tokens = mine.at("/transcription/0/tokens");
        assertTrue(tokens.isArray() && tokens.size() > 0 && tokens.get(0).has("p"), "json-full's tokens: " + mine);
        cli.remove("systeminfo");
        mine.remove("systeminfo");
        assertEquals(cli, mine);
    }

    /**
     * MP3, FLAC and Ogg Vorbis files in one run: each file's subtitles and full JSON (every token and
     * its probability, so the very samples whisper-cli decoded) are whisper-cli's for that same file.
     */
    @Test
    void compressedAudioGivesWhisperClisFilesForTheSameFile() throws Exception {
        List<Path> files = List.of(AUDIO.resolve("jfk.mp3"), AUDIO.resolve("jfk.flac"), AUDIO.resolve("jfk.ogg"));
        Path dir = tmp.resolve("ours");
        List<String> args = ours("-osrt", "-ojf", "--output-dir", dir.toString());
        files.forEach(f -> args.add(f.toString()));
        Result r = cli(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Path theirs = Files.createDirectories(tmp.resolve("whisper-cli"));
        for (Path f : files) {
            String name = f.getFileName().toString();
            assertTrue(r.out().contains("== " + f), "the listing names every file: " + r.out());
            whisperCliOn(f, "-osrt", "-ojf", "-of", theirs.resolve(name).toString());
            String srt = Files.readString(theirs.resolve(name + ".srt"));
            assertTrue(srt.startsWith("1\n"), name + ": the fixture should decode some text: " + srt);
            assertEquals(srt, Files.readString(dir.resolve(name + ".srt")), name);
            String line = "(?m)^\t\"systeminfo\": .*$";
            String cliJson = Files.readString(theirs.resolve(name + ".json"));
            String mine = Files.readString(dir.resolve(name + ".json"));
            assertEquals(cliJson.replaceAll(line, ""), mine.replaceAll(line, ""), name);
            ObjectNode a = (ObjectNode) JSON.readTree(cliJson);
            ObjectNode b = (ObjectNode) JSON.readTree(mine);
            a.remove("systeminfo");
            b.remove("systeminfo");
            assertEquals(a, b, name);
        }
    }

    @Test
    void decodingThresholdsAndContextMeanWhatTheyMeanInWhisperCli() throws Exception {
        // every window "fails" (log probability below 0) and "is silence" (no-speech probability above 0): no text
        List<String> flags = List.of("-et", "2.6", "-lpt", "0", "-nth", "0", "-mc", "0");
        Path theirs = Files.createDirectories(tmp.resolve("whisper-cli"));
        whisperCli("-osrt", "-of", theirs.resolve("default").toString());
        List<String> cliArgs = new ArrayList<>(flags);
        cliArgs.addAll(List.of("-osrt", "-of", theirs.resolve("flags").toString()));
        whisperCli(cliArgs.toArray(String[]::new));
        String expected = Files.readString(theirs.resolve("flags.srt"));
        assertNotEquals(Files.readString(theirs.resolve("default.srt")), expected,
                "the flags should change whisper-cli's result, or this test proves nothing");

        List<String> args = new ArrayList<>(flags);
        args.addAll(List.of("-osrt", "-of", tmp.resolve("ours").toString(), JFK.toString()));
        Result r = cli(ours(args.toArray(String[]::new)).toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertEquals(expected, Files.readString(tmp.resolve("ours.srt")));
    }

    @Test
    void detectLanguagePrintsWhisperClisLanguageAndProbability() throws Exception {
        Matcher theirs = Pattern.compile("auto-detected language: (\\S+) \\(p = ([0-9.]+)\\)")
                .matcher(whisperCli("-dl"));
        assertTrue(theirs.find(), "whisper-cli -dl said no language");
        Result r = cli(ours("-dl", JFK.toString()).toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        Matcher mine = Pattern.compile("^" + Pattern.quote(JFK.toString()) + ": (\\S+) \\(p = ([0-9.]+)\\); next: ")
                .matcher(r.out());
        assertTrue(mine.find(), r.out());
        assertEquals(theirs.group(1), mine.group(1));
        assertEquals(Float.parseFloat(theirs.group(2)), Float.parseFloat(mine.group(2)), 1e-5f);
        assertEquals(1, r.out().lines().count(), "one line per file, nothing transcribed: " + r.out());
    }

    @Test
    void outputFileDashPrintsOneFormatOnStdoutAndWordTimesFollowTheirSegment() throws Exception {
        Result srt = cli(ours("--max-tokens", "6", "-osrt", "-of", "-", "-f", JFK.toString()).toArray(String[]::new));
        assertEquals(0, srt.exit(), srt.err());
        assertTrue(srt.out().matches("(?s)1\n\\d\\d:\\d\\d:\\d\\d,\\d{3} --> .*"), "the SRT alone: " + srt.out());
        assertFalse(srt.out().contains("== "), srt.out());

        Result words = cli(ours("--max-tokens", "6", "--word-timestamps", JFK.toString()).toArray(String[]::new));
        assertEquals(0, words.exit(), words.err());
        List<String> lines = words.out().lines().toList();
        String span = "\\[\\d\\d:\\d\\d:\\d\\d\\.\\d{3} --> \\d\\d:\\d\\d:\\d\\d\\.\\d{3}] ";
        assertTrue(lines.get(1).matches(span + ".*"), "a segment with its times: " + words.out());
        assertTrue(lines.get(2).matches(" {4}" + span + ".*"), "a word with its times under it: " + words.out());
    }

    @Test
    void unsupportedWhisperCliFlagsAreUsageErrorsThatSayWhy() {
        Result diarize = cli("-m", MODEL.toString(), "--diarize", JFK.toString());
        assertEquals(2, diarize.exit());
        assertTrue(diarize.err().startsWith("transcribe: --diarize is not supported: whisper-java transcribes mono audio"),
                diarize.err());
        // a refused flag's value is taken with it, not read as an audio file
        Result processors = cli("-m", MODEL.toString(), "-p", "2", JFK.toString());
        assertEquals(2, processors.exit());
        assertTrue(processors.err().contains("--processors is not supported: "), processors.err());
        Result unknown = cli("--bogus", JFK.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("Unknown option: '--bogus'"), unknown.err());
        Result badFormat = cli("--output-format", "srt,docx", JFK.toString());
        assertEquals(2, badFormat.exit());
        assertTrue(badFormat.err().contains("unknown output format \"docx\""), badFormat.err());
    }

    @Test
    void usageListsWhisperClisFlagsAndOurs() {
        String usage = TranscribeCli.usage();
        for (String flag : List.of("-otxt", "--output-format", "--output-dir", "-of, --output-file", "-dl, --detect-language",
                "-bs, --beam, --beam-size", "-vm, --vad-model", "--fit-window", "--jobs", "--model-size")) {
            assertTrue(usage.contains(flag), flag + " missing from:\n" + usage);
        }
        Result help = cli("--help");
        assertEquals(0, help.exit());
        assertEquals(usage, help.out());
    }
}
