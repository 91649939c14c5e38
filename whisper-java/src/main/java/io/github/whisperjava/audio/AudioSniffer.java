package io.github.whisperjava.audio;

import java.nio.charset.StandardCharsets;

/**
 * Names the container of audio from its first bytes: its content, never its file name (an upload
 * called "a.wav" may be anything). Only magic numbers and fixed header fields are read; whether the
 * rest is valid is the decoder's business.
 */
final class AudioSniffer {
    private AudioSniffer() {}

    static AudioContainer sniff(byte[] b, int len) {
        len = Math.min(len, b.length);
        if (ascii(b, len, 0, "RIFF")) {
            return ascii(b, len, 8, "WAVE") ? AudioContainer.WAV : AudioContainer.UNKNOWN;
        }
        if (ascii(b, len, 0, "RF64") || ascii(b, len, 0, "BW64")) {
            return AudioContainer.RF64;
        }
        if (ascii(b, len, 0, "ID3")) {
            return afterId3(b, len);
        }
        if (ascii(b, len, 0, "fLaC")) {
            return AudioContainer.FLAC;
        }
        if (ascii(b, len, 0, "OggS")) {
            return ogg(b, len);
        }
        if (ascii(b, len, 4, "ftyp")) {
            return AudioContainer.MP4;
        }
        if (len >= 4 && u8(b, 0) == 0x1a && u8(b, 1) == 0x45 && u8(b, 2) == 0xdf && u8(b, 3) == 0xa3) {
            return AudioContainer.WEBM;
        }
        if (ascii(b, len, 0, "FORM") && (ascii(b, len, 8, "AIFF") || ascii(b, len, 8, "AIFC"))) {
            return AudioContainer.AIFF;
        }
        return frameSync(b, 0, len);
    }

    /**
     * An ID3v2 tag is put in front of MP3 (its usual place) but also of AAC and FLAC: name what follows
     * it when we have those bytes, else MP3.
     */
    private static AudioContainer afterId3(byte[] b, int len) {
        if (len < 10) {
            return AudioContainer.MP3;
        }
        // size: 4 bytes of 7 bits each ("synchsafe"), excluding the 10-byte header and a 10-byte footer
        long size = (long) (u8(b, 6) & 0x7f) << 21 | (u8(b, 7) & 0x7f) << 14 | (u8(b, 8) & 0x7f) << 7 | (u8(b, 9) & 0x7f);
        long end = 10 + size + ((u8(b, 5) & 0x10) != 0 ? 10 : 0);
        if (end + 4 > len) {
            return AudioContainer.MP3;
        }
        int at = (int) end;
        if (ascii(b, len, at, "fLaC")) {
            return AudioContainer.FLAC;
        }
        AudioContainer next = frameSync(b, at, len);
        return next == AudioContainer.AAC_ADTS ? next : AudioContainer.MP3;
    }

    /** MPEG audio or ADTS AAC: both start a frame with a run of set bits; layer 00 is ADTS's mark. */
    private static AudioContainer frameSync(byte[] b, int at, int len) {
        if (len - at < 4 || u8(b, at) != 0xff || (u8(b, at + 1) & 0xe0) != 0xe0) {
            return AudioContainer.UNKNOWN;
        }
        int h1 = u8(b, at + 1);
        int layer = (h1 >> 1) & 3;
        if (layer == 0) {
            return (h1 & 0xf0) == 0xf0 ? AudioContainer.AAC_ADTS : AudioContainer.UNKNOWN;
        }
        int version = (h1 >> 3) & 3;
        int bitrate = u8(b, at + 2) >> 4;
        int rate = (u8(b, at + 2) >> 2) & 3;
        // the values MPEG reserves: what random bytes starting with 0xFF usually have
        boolean valid = version != 1 && bitrate != 15 && rate != 3;
        return valid ? AudioContainer.MP3 : AudioContainer.UNKNOWN;
    }

    /** The first packet of an Ogg stream is its codec's identification header, right after the page header. */
    private static AudioContainer ogg(byte[] b, int len) {
        if (len < 27) {
            return AudioContainer.OGG_OTHER;
        }
        int at = 27 + u8(b, 26); // the page header, then its segment table
        if (at + 1 < len && u8(b, at) == 0x01 && ascii(b, len, at + 1, "vorbis")) {
            return AudioContainer.OGG_VORBIS;
        }
        if (ascii(b, len, at, "OpusHead")) {
            return AudioContainer.OGG_OPUS;
        }
        if (at < len && u8(b, at) == 0x7f && ascii(b, len, at + 1, "FLAC")) {
            return AudioContainer.OGG_FLAC;
        }
        return AudioContainer.OGG_OTHER;
    }

    /** The bytes at the start, in hex, for a message about a file nobody recognised. */
    static String hexHead(byte[] b, int len, int max) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(Math.min(len, b.length), max); i++) {
            s.append(i == 0 ? "" : " ").append(String.format("%02x", u8(b, i)));
        }
        return s.toString();
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static boolean ascii(byte[] b, int len, int off, String s) {
        if (off < 0 || off + s.length() > len) {
            return false;
        }
        byte[] want = s.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < want.length; i++) {
            if (b[off + i] != want[i]) {
                return false;
            }
        }
        return true;
    }
}
