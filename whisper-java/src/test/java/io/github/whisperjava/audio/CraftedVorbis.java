package io.github.whisperjava.audio;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Ogg Vorbis streams written bit by bit to reach stb_vorbis's known memory bugs: what a hostile upload
 * sends. Each method names the bug it reaches; the shim's stb_vorbis carries our fix for it
 * (cpp/patches/stb_vorbis/), so each must be refused with a Java exception, under AddressSanitizer with
 * no report (cpp/tools/asan-check.sh runs {@link CraftedVorbisTest}).
 */
final class CraftedVorbis {
    private CraftedVorbis() {}

    /**
     * A 16,519,105-entry, 65-dimension codebook with lookup type 1: its multiplicands take
     * 4 × 16,519,105 × 65 = 2^32 + 4 bytes, which stb_vorbis 1.22 passed to its allocator as an int (4),
     * then wrote a gigabyte of floats into (stb issue 1947).
     */
    static byte[] codebookSizeTruncatedToInt() {
        int entries = 16_519_105;
        int dimensions = 65;
        Bits setup = setupStart(1);
        orderedCodebook(setup, dimensions, entries, 24);
        setup.put(1, 4); // lookup type 1: lookup1_values(entries, 65) = 1 value
        setup.put(0, 32).put(0, 32); // minimum value, delta value (packed floats)
        setup.put(0, 4).put(0, 1); // value bits - 1, sequence_p
        setup.put(0, 1); // the one multiplicand
        setup.put(0, 32); // whatever would come next
        return ogg(identification(), comment(), setup.toArray());
    }

    /**
     * A lookup type 2 codebook whose entries × dimensions (131,073 × 32,768) is 2^32 + 32,768: an int
     * overflow that left 32,768 multiplicands for a book that indexes 4 billion (stb issue 1949).
     */
    static byte[] lookupValuesOverflowInt() {
        int entries = 131_073;
        int dimensions = 32_768;
        Bits setup = setupStart(1);
        orderedCodebook(setup, dimensions, entries, 18);
        setup.put(2, 4); // lookup type 2: entries × dimensions values
        setup.put(0, 32).put(0, 32).put(0, 4).put(0, 1);
        for (int i = 0; i < 32_768; i++) {
            setup.put(0, 1); // as many multiplicands as the overflowed count asks for
        }
        setup.put(0, 32);
        return ogg(identification(), comment(), setup.toArray());
    }

    /**
     * A mapping with 16 submaps, the most its 4-bit count allows: stb_vorbis 1.22 kept 15 floor and
     * residue numbers per mapping and wrote the 16th past each array (CVE-2023-45678).
     */
    static byte[] sixteenSubmaps() {
        return ogg(identification(), comment(), setup(16, 1, 1, 0).toArray());
    }

    /**
     * A floor whose partition class names a sparse codebook with no codeword at all, and an audio packet
     * that decodes with it: the decode finds no codeword (-1), and stb_vorbis 1.22 looked -1 up in the
     * book's sorted values, which such a book does not have (a read at address -4; CVE-2023-45682).
     */
    static byte[] sparseBookWithoutCodewords() {
        Bits audio = new Bits();
        audio.put(0, 1); // an audio packet; one mode, so no mode bits; a short block
        audio.put(1, 1); // channel 0's floor is used
        audio.put(100, 8).put(100, 8); // its first two points (range 256: 8 bits each)
        audio.put(0, 32).put(0, 32); // what the partition's class book would read
        return ogg(identification(), comment(), setup(1, 1, 1, 0).toArray(), audio.toArray());
    }

    /**
     * A comment header that announces three comments and holds one: stb_vorbis 1.22 failed on the second
     * and then freed all three list entries, two of them never written (CVE-2023-45679). Our
     * VorbisCommentCheck refuses such a header before native code sees it.
     */
    static byte[] commentListCutShort() {
        Bits b = new Bits();
        b.put(3, 8).bytes("vorbis".getBytes(StandardCharsets.US_ASCII));
        b.put(1, 32).put('x', 8).put(3, 32).put(3, 32).bytes("a=b".getBytes(StandardCharsets.US_ASCII));
        return ogg(identification(), b.toArray(), setup(1, 1, 1, 0).toArray());
    }

    /**
     * Two residues, the first naming a class book that does not exist: the setup fails there with the
     * second never read (stb_vorbis 1.22 zeroes residues, so its clean-up copes: CVE-2023-45680's null
     * pointer is not reached this way; kept as the case of a setup that fails half way).
     */
    static byte[] setupFailingHalfWay() {
        return ogg(identification(), comment(), setup(1, 1, 2, 9).toArray());
    }

    /**
     * A whole setup packet: book 0 (2 entries, 1 dimension, 1-bit codewords: the residue's class book),
     * book 1 (sparse, 4 entries, none used: the floor's partition class book), one floor 1 with one
     * partition, {@code residues} residues 0 that code nothing (with class book {@code classBook}), one
     * mapping with {@code submaps} submaps and one mode.
     */
    static Bits setup(int submaps, int channels, int residues, int classBook) {
        Bits b = setupStart(2);
        orderedCodebook(b, 1, 2, 1);
        b.put(0, 4); // no lookup
        b.put(0x564342, 24).put(1, 16).put(4, 24);
        b.put(0, 1).put(1, 1); // unordered, sparse
        for (int i = 0; i < 4; i++) {
            b.put(0, 1); // entry unused
        }
        b.put(0, 4); // no lookup
        b.put(0, 6).put(0, 16); // one time-domain transform, a placeholder 0
        b.put(0, 6).put(1, 16); // one floor, type 1
        b.put(1, 5); // one partition
        b.put(0, 4); // of class 0
        b.put(0, 3).put(1, 2).put(1, 8); // class 0: 1 dimension, 1 subclass bit, master book 1
        b.put(0, 8).put(0, 8); // its two subclass books: none
        b.put(0, 2).put(8, 4); // multiplier 1, 8 range bits
        b.put(100, 8); // the partition's one X
        b.put(residues - 1, 6);
        for (int r = 0; r < residues; r++) {
            b.put(0, 16); // type 0
            b.put(0, 24).put(0, 24).put(0, 24); // begin, end, partition size - 1
            b.put(0, 6).put(classBook, 8); // one classification, its class book
            b.put(0, 3).put(0, 1); // no cascade books
        }
        b.put(0, 6).put(0, 16); // one mapping, type 0
        if (submaps > 1) {
            b.put(1, 1).put(submaps - 1, 4);
        } else {
            b.put(0, 1);
        }
        b.put(0, 1).put(0, 2); // no coupling, reserved
        if (submaps > 1) {
            for (int c = 0; c < channels; c++) {
                b.put(0, 4); // channel c's submap
            }
        }
        for (int j = 0; j < submaps; j++) {
            b.put(0, 8).put(0, 8).put(0, 8); // unused time, floor 0, residue 0
        }
        b.put(0, 6); // one mode
        b.put(0, 1).put(0, 16).put(0, 16).put(0, 8); // short blocks, window 0, transform 0, mapping 0
        b.put(1, 1); // framing
        return b;
    }

    /** The setup packet's start: type 5, "vorbis", codebook count - 1. */
    static Bits setupStart(int codebooks) {
        Bits b = new Bits();
        b.put(5, 8).bytes("vorbis".getBytes(StandardCharsets.US_ASCII));
        return b.put(codebooks - 1, 8);
    }

    /** A codebook header (sync, dimensions, entries) with every entry's codeword {@code length} bits long. */
    static void orderedCodebook(Bits b, int dimensions, int entries, int length) {
        b.put(0x564342, 24).put(dimensions, 16).put(entries, 24);
        b.put(1, 1); // ordered: lengths as runs
        b.put(length - 1, 5);
        b.put(entries, bitsFor(entries)); // one run of every entry
    }

    /** Vorbis's ilog: the position of the highest set bit. */
    static int bitsFor(int v) {
        return 32 - Integer.numberOfLeadingZeros(v);
    }

    /** The identification header: mono, 16 kHz, blocks of 256 and 2,048 samples. */
    static byte[] identification() {
        Bits b = new Bits();
        b.put(1, 8).bytes("vorbis".getBytes(StandardCharsets.US_ASCII));
        b.put(0, 32).put(1, 8).put(16_000, 32).put(0, 32).put(0, 32).put(0, 32);
        b.put(8, 4).put(11, 4).put(1, 8);
        return b.toArray();
    }

    /** The comment header: vendor "x", no comments (what VorbisCommentCheck lets through). */
    static byte[] comment() {
        Bits b = new Bits();
        b.put(3, 8).bytes("vorbis".getBytes(StandardCharsets.US_ASCII));
        b.put(1, 32).put('x', 8).put(0, 32).put(1, 8);
        return b.toArray();
    }

    /** The packets as an Ogg stream, one page each, the first marked as the stream's start. */
    static byte[] ogg(byte[]... packets) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < packets.length; i++) {
            byte[] p = packets[i];
            int segments = p.length / 255 + 1;
            if (segments > 255) {
                throw new IllegalArgumentException("packet of " + p.length + " bytes does not fit one page");
            }
            ByteArrayOutputStream page = new ByteArrayOutputStream();
            page.writeBytes("OggS".getBytes(StandardCharsets.US_ASCII));
            page.write(0);
            page.write(i == 0 ? 2 : i == packets.length - 1 ? 4 : 0);
            writeLe(page, 0, 8); // granule position
            writeLe(page, 0x5eed, 4); // serial number
            writeLe(page, i, 4); // page sequence number
            writeLe(page, 0, 4); // CRC, filled in below
            page.write(segments);
            for (int s = 0; s < segments - 1; s++) {
                page.write(255);
            }
            page.write(p.length % 255);
            page.writeBytes(p);
            byte[] bytes = page.toByteArray();
            int crc = crc(bytes);
            for (int k = 0; k < 4; k++) {
                bytes[22 + k] = (byte) (crc >>> (8 * k));
            }
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static void writeLe(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)) & 0xff);
        }
    }

    /** Ogg's CRC-32: polynomial 0x04c11db7, most significant bit first, no reflection, no final xor. */
    static int crc(byte[] page) {
        int crc = 0;
        for (byte b : page) {
            crc ^= (b & 0xff) << 24;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
            }
        }
        return crc;
    }

    /** Bits packed least significant first, as Vorbis headers are. */
    static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int acc;
        private int used;

        Bits put(long value, int bits) {
            for (int i = 0; i < bits; i++) {
                acc |= (int) ((value >>> i) & 1) << used;
                if (++used == 8) {
                    out.write(acc);
                    acc = 0;
                    used = 0;
                }
            }
            return this;
        }

        Bits bytes(byte[] b) {
            for (byte x : b) {
                put(x & 0xff, 8);
            }
            return this;
        }

        byte[] toArray() {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.writeBytes(out.toByteArray());
            if (used > 0) {
                copy.write(acc);
            }
            return copy.toByteArray();
        }
    }
}
