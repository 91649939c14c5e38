package io.github.whisperjava.output;

import io.github.whisperjava.ModelInfo;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Token;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.internal.Utf8;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * whisper-cli's {@code -oj} and {@code -ojf} files, written the way cli.cpp's output_json writes them:
 * tab indentation, its key order, numbers as C++ streams print them. Kept by hand rather than through a
 * JSON library so the core jar has no such dependency and the layout is exactly whisper-cli's.
 */
final class JsonFormat {
    private final StringBuilder out = new StringBuilder();
    private int indent;

    private JsonFormat() {}

    static String write(Transcript t, OutputContext c, boolean full) {
        JsonFormat j = new JsonFormat();
        j.document(t, c, full);
        return j.out.toString();
    }

    private void document(Transcript t, OutputContext c, boolean full) {
        ModelInfo m = c.model();
        startObj(null);
        valueS("systeminfo", c.systemInfo(), false);
        startObj("model");
        valueS("type", m.type(), false);
        valueB("multilingual", m.multilingual(), false);
        valueI("vocab", m.vocabularySize(), false);
        startObj("audio");
        valueI("ctx", m.audioContext(), false);
        valueI("state", m.audioState(), false);
        valueI("head", m.audioHeads(), false);
        valueI("layer", m.audioLayers(), true);
        endObj(false);
        startObj("text");
        valueI("ctx", m.textContext(), false);
        valueI("state", m.textState(), false);
        valueI("head", m.textHeads(), false);
        valueI("layer", m.textLayers(), true);
        endObj(false);
        valueI("mels", m.melBands(), false);
        valueI("ftype", m.fileType(), true);
        endObj(false);
        startObj("params");
        valueS("model", c.modelPath(), false);
        valueS("language", c.language(), false);
        valueB("translate", c.translate(), true);
        endObj(false);
        startObj("result");
        valueS("language", t.language(), true);
        endObj(false);
        startArr("transcription");
        List<Segment> segments = t.segments();
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            startObj(null);
            times(s.startMs(), s.endMs(), false);
            valueS("text", s.text(), !full);
            if (full) {
                tokens(s.tokens());
            }
            endObj(i == segments.size() - 1);
        }
        endArr(true);
        endObj(true);
    }

    /**
     * The segment's tokens, those whose bytes end inside a character merged with the tokens that finish
     * it (as whisper-cli does since whisper.cpp issue 1798): the merged token keeps the first one's id,
     * probability, start and DTW time, and takes the end of the last one that has an end.
     */
    private void tokens(List<Token> tokens) {
        List<Merged> merged = new ArrayList<>();
        for (int j = 0; j < tokens.size(); ) {
            Token first = tokens.get(j);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            bytes.writeBytes(first.bytes());
            long end = first.endMs();
            j++;
            while (j < tokens.size() && Utf8.needsMore(bytes.toByteArray(), bytes.size())) {
                Token next = tokens.get(j);
                bytes.writeBytes(next.bytes());
                if (next.endMs() > -1) {
                    end = next.endMs();
                }
                j++;
            }
            merged.add(new Merged(new String(bytes.toByteArray(), StandardCharsets.UTF_8), first, end));
        }
        startArr("tokens");
        for (int j = 0; j < merged.size(); j++) {
            Merged m = merged.get(j);
            startObj(null);
            valueS("text", m.text(), false);
            if (m.first().startMs() > -1 && m.endMs() > -1) {
                times(m.first().startMs(), m.endMs(), false);
            }
            valueI("id", m.first().id(), false);
            valueF("p", m.first().probability(), false);
            valueF("t_dtw", m.first().dtwMs() < 0 ? -1 : m.first().dtwMs() / 10, true);
            endObj(j == merged.size() - 1);
        }
        endArr(true);
    }

    private record Merged(String text, Token first, long endMs) {}

    private void times(long fromMs, long toMs, boolean end) {
        startObj("timestamps");
        valueS("from", TextFormats.timestamp(fromMs, ','), false);
        valueS("to", TextFormats.timestamp(toMs, ','), true);
        endObj(false);
        startObj("offsets");
        valueI("from", fromMs, false);
        valueI("to", toMs, true);
        endObj(end);
    }

    private void doIndent() {
        out.append("\t".repeat(indent));
    }

    private void startArr(String name) {
        doIndent();
        out.append('"').append(name).append("\": [\n");
        indent++;
    }

    private void endArr(boolean end) {
        indent--;
        doIndent();
        out.append(end ? "]\n" : "],\n");
    }

    private void startObj(String name) {
        doIndent();
        if (name != null) {
            out.append('"').append(name).append("\": {\n");
        } else {
            out.append("{\n");
        }
        indent++;
    }

    private void endObj(boolean end) {
        indent--;
        doIndent();
        out.append(end ? "}\n" : "},\n");
    }

    private void startValue(String name) {
        doIndent();
        out.append('"').append(name).append("\": ");
    }

    private void valueS(String name, String value, boolean end) {
        startValue(name);
        out.append('"').append(escape(value)).append(end ? "\"\n" : "\",\n");
    }

    private void valueI(String name, long value, boolean end) {
        startValue(name);
        out.append(value).append(end ? "\n" : ",\n");
    }

    private void valueF(String name, float value, boolean end) {
        startValue(name);
        out.append(CppNumbers.general(value)).append(end ? "\n" : ",\n");
    }

    private void valueB(String name, boolean value, boolean end) {
        startValue(name);
        out.append(value).append(end ? "\n" : ",\n");
    }

    /** whisper-cli escapes {@code "} and {@code \}; control characters too here, or the file is not JSON. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
