package io.github.whisperjava.audio;

/**
 * What a file's first bytes say it holds: the formats whisper-java decodes, and those it recognises
 * only to say so (and what to do) instead of "not a WAV file".
 */
public enum AudioContainer {
    WAV("WAV", true, "wav"),
    MP3("MP3", true, "mp3"),
    FLAC("FLAC", true, "flac"),
    OGG_VORBIS("Ogg Vorbis", true, "ogg"),
    OGG_OPUS("Ogg Opus", false, "opus"),
    OGG_FLAC("Ogg FLAC", false, "oga"),
    /** Ogg holding neither Vorbis, Opus nor FLAC (Speex, Theora, ...). */
    OGG_OTHER("Ogg with a codec other than Vorbis", false, "ogg"),
    /** MP4, M4A, MOV, 3GP: usually AAC or ALAC. */
    MP4("MP4/M4A audio (AAC or ALAC)", false, "m4a"),
    AAC_ADTS("raw AAC (ADTS)", false, "aac"),
    WEBM("WebM/Matroska", false, "webm"),
    AIFF("AIFF", false, "aiff"),
    RF64("RF64 (a WAV variant for files over 4 GB)", false, "wav"),
    UNKNOWN("not a recognised audio format", false, null);

    private final String displayName;
    private final boolean supported;
    private final String extension;

    AudioContainer(String displayName, boolean supported, String extension) {
        this.displayName = displayName;
        this.supported = supported;
        this.extension = extension;
    }

    /** The container the first bytes of a file name; any number of bytes, the more the surer (Ogg: 300). */
    public static AudioContainer of(byte[] firstBytes) {
        return AudioSniffer.sniff(firstBytes, firstBytes.length);
    }

    /** A name for messages, e.g. "Ogg Opus". */
    public String displayName() {
        return displayName;
    }

    /** Whether {@link AudioDecoder} decodes it. */
    public boolean isSupported() {
        return supported;
    }

    /** The usual file extension, for the ffmpeg line of a message; null for {@link #UNKNOWN}. */
    String extension() {
        return extension;
    }
}
