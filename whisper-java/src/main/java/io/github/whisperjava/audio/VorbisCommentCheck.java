package io.github.whisperjava.audio;

import io.github.whisperjava.AudioFormatException;
import java.io.ByteArrayOutputStream;

/**
 * Refuses an Ogg Vorbis file whose comment header would corrupt memory in stb_vorbis v1.22 (the copy
 * whisper.cpp v1.9.1 ships, and so ours), before the bytes reach it.
 *
 * <p>stb_vorbis reads the comment header's lengths as they come: a vendor length, a comment count and
 * comment lengths that are larger than the packet make it allocate with an overflowing {@code int}
 * size (a heap overflow) or give up half-way through its comment list and then free the entries it
 * never set (among the stb_vorbis bugs GitHub Security Lab reported as GHSL-2023-165 to -172,
 * CVE-2023-45675 to -45682; 1.22 is the latest release). AudioFuzzTest's first run crashed the JVM on
 * exactly this (SIGSEGV in free, under stb_vorbis_open_memory). A valid file's lengths always fit
 * its packet, so it checks that they do, reading the packet across pages the way stb_vorbis reads it.
 * The comment text itself is never used.
 */
final class VorbisCommentCheck {
    /** Comments beyond this (8 bytes each in stb_vorbis's list) would overflow its int allocation size. */
    private static final long MAX_COMMENTS = 1L << 26;

    private VorbisCommentCheck() {}

    static void check(byte[] file, String name) {
        byte[] packet = secondPacket(file, name);
        if (packet == null || packet.length < 7 || packet[0] != 3) {
            return; // stb_vorbis refuses such a file before the comments, without allocating for them
        }
        int at = 7; // packet type and "vorbis"
        long left = packet.length - at;
        long vendor = u32(packet, at);
        if (vendor < 0 || vendor > left - 4) {
            throw malformed(name, "its vendor string of " + vendor + " bytes", packet.length);
        }
        at += 4 + (int) vendor;
        long count = u32(packet, at);
        left = packet.length - at - 4L;
        if (count < 0 || count > left / 4 || count > MAX_COMMENTS) {
            throw malformed(name, count + " comments", packet.length);
        }
        at += 4;
        for (long i = 0; i < count; i++) {
            long len = u32(packet, at);
            left = packet.length - at - 4L;
            if (len < 0 || len > left) {
                throw malformed(name, "comment " + i + " of " + len + " bytes", packet.length);
            }
            at += 4 + (int) len;
        }
    }

    /**
     * The Vorbis comment packet as stb_vorbis sees it: the page after the first (which holds only the
     * 30-byte identification packet), its segments, and those of the pages continuing it, up to the
     * first segment under 255 bytes. It ends early, as stb_vorbis's does, where a page is missing, cut
     * short or does not say it continues the packet. Null when the first page is not what stb_vorbis
     * accepts at all. A page without segments is refused: stb_vorbis would take its previous page's
     * first segment length for one, and read the packet from bytes no check here has seen.
     */
    static byte[] secondPacket(byte[] f, String name) {
        if (f.length < 28 || f[26] != 1 || (f[27] & 0xff) != 30) {
            return null;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int page = 27 + 1 + 30;
        boolean first = true;
        while (true) {
            if (page + 27 > f.length || f[page] != 'O' || f[page + 1] != 'g' || f[page + 2] != 'g' || f[page + 3] != 'S'
                    || f[page + 4] != 0 || (!first && (f[page + 5] & 1) == 0)) {
                return out.toByteArray();
            }
            int segments = f[page + 26] & 0xff;
            if (segments == 0) {
                throw new AudioFormatException(name + " is not Ogg Vorbis that can be decoded: an empty Ogg page "
                        + "among its headers");
            }
            int data = page + 27 + segments;
            if (data > f.length) {
                return out.toByteArray();
            }
            for (int s = 0; s < segments; s++) {
                int len = f[page + 27 + s] & 0xff;
                // past the end of the file stb_vorbis reads zeros; as a length a zero is harmless, and
                // treating the packet as ending there refuses more, never less
                out.write(f, data, Math.max(0, Math.min(len, f.length - data)));
                data += len;
                if (len < 255 || data > f.length) {
                    return out.toByteArray();
                }
            }
            page = data;
            first = false;
        }
    }

    /** A little-endian u32, or -1 where the packet ends before its four bytes. */
    private static long u32(byte[] b, int at) {
        if (at < 0 || at + 4 > b.length) {
            return -1;
        }
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static AudioFormatException malformed(String name, String what, int packetBytes) {
        return new AudioFormatException(name + " is not Ogg Vorbis that can be decoded: its comment header declares "
                + what + ", more than its " + packetBytes + "-byte packet holds");
    }
}
