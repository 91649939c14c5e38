package io.github.whisperjava.springai;

import io.github.whisperjava.TranscribeParams;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.output.OutputContext;
import io.github.whisperjava.output.OutputFormat;
import io.github.whisperjava.output.TranscriptWriter;
import io.github.whisperjava.springai.WhisperTranscriptionOptions.ResponseFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.springframework.ai.audio.transcription.AudioTranscription;
import org.springframework.ai.audio.transcription.AudioTranscriptionOptions;
import org.springframework.ai.audio.transcription.AudioTranscriptionPrompt;
import org.springframework.ai.audio.transcription.AudioTranscriptionResponse;
import org.springframework.ai.audio.transcription.AudioTranscriptionResponseMetadata;
import org.springframework.ai.audio.transcription.TranscriptionModel;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.core.io.Resource;

/**
 * Spring AI's {@link TranscriptionModel} over a loaded {@link Whisper}: the audio of the prompt's
 * {@link Resource} (WAV, MP3, FLAC or Ogg Vorbis, told apart by content) transcribed on this machine.
 *
 * <p>The response's text is the transcript's, or SubRip/WebVTT subtitles when those formats are asked
 * for. Its metadata carries {@value #LANGUAGE} (the language decoded in), {@value #DURATION} (seconds of
 * audio, a {@code Double}), {@value #SEGMENTS} (the library's {@code List<Segment>}) and, when words were
 * asked for, {@value #WORDS} ({@code List<Word>}), whatever the response format.
 *
 * <p>Thread-safe as the {@code Whisper} is; the model is not closed here, its owner closes it (the
 * auto-configuration's context does).
 */
public class WhisperTranscriptionModel implements TranscriptionModel {
    public static final String LANGUAGE = "language";
    public static final String DURATION = "duration";
    public static final String SEGMENTS = "segments";
    public static final String WORDS = "words";

    private final Whisper whisper;
    private final WhisperTranscriptionOptions defaults;

    public WhisperTranscriptionModel(Whisper whisper) {
        this(whisper, new WhisperTranscriptionOptions());
    }

    /** @param defaults what applies where a prompt's options leave a field unset */
    public WhisperTranscriptionModel(Whisper whisper, WhisperTranscriptionOptions defaults) {
        this.whisper = Objects.requireNonNull(whisper, "whisper");
        this.defaults = Objects.requireNonNull(defaults, "defaults").copy();
    }

    public Whisper getWhisper() {
        return whisper;
    }

    public WhisperTranscriptionOptions getDefaultOptions() {
        return defaults.copy();
    }

    @Override
    public AudioTranscriptionResponse call(AudioTranscriptionPrompt prompt) {
        Resource audio = Objects.requireNonNull(prompt.getInstructions(), "the prompt has no audio resource");
        WhisperTranscriptionOptions options = defaults.merge(adapt(prompt.getOptions()));
        TranscribeParams params = options.toParams();
        Transcript t;
        try (InputStream in = audio.getInputStream()) {
            t = whisper.transcribe(in, params);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audio of " + audio.getDescription(), e);
        }
        AudioTranscriptionResponseMetadata metadata = new AudioTranscriptionResponseMetadata();
        metadata.put(LANGUAGE, t.language());
        metadata.put(DURATION, t.audioDurationMs() / 1000.0);
        metadata.put(SEGMENTS, t.segments());
        if (options.wantsWords()) {
            metadata.put(WORDS, t.words());
        }
        return new AudioTranscriptionResponse(new AudioTranscription(text(t, options.format(), params)), metadata);
    }

    private String text(Transcript t, ResponseFormat format, TranscribeParams params) {
        return switch (format) {
            case SRT -> TranscriptWriter.format(t, OutputFormat.SRT, OutputContext.of(whisper, params));
            case VTT -> TranscriptWriter.format(t, OutputFormat.VTT, OutputContext.of(whisper, params));
            case JSON, TEXT, VERBOSE_JSON -> t.text();
        };
    }

    /**
     * Another provider's options read by their bean properties, so that code written against OpenAI's
     * ({@code OpenAiAudioTranscriptionOptions}: language, prompt, temperature, responseFormat,
     * granularityType) runs unchanged on this model; properties this model does not know are ignored.
     */
    static WhisperTranscriptionOptions adapt(AudioTranscriptionOptions options) {
        if (options == null || options instanceof WhisperTranscriptionOptions) {
            return (WhisperTranscriptionOptions) options;
        }
        BeanWrapperImpl bean = new BeanWrapperImpl(options);
        WhisperTranscriptionOptions w = new WhisperTranscriptionOptions();
        w.setModel(options.getModel());
        w.setLanguage(read(bean, "language") instanceof String s ? s : null);
        w.setPrompt(read(bean, "prompt") instanceof String s ? s : null);
        if (read(bean, "temperature") instanceof Number n) {
            w.setTemperature(n.floatValue());
        }
        Object format = read(bean, "responseFormat");
        if (format != null) {
            w.setResponseFormat(ResponseFormat.of(format instanceof Enum<?> e ? e.name() : format.toString()));
        }
        Object granularity = read(bean, "granularityType");
        if (granularity != null) {
            w.setWords(String.valueOf(granularity).equalsIgnoreCase("word"));
        }
        return w;
    }

    private static Object read(BeanWrapperImpl bean, String property) {
        return bean.isReadableProperty(property) ? bean.getPropertyValue(property) : null;
    }
}
