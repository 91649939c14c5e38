package io.github.whisperjava.server;

import java.io.ByteArrayOutputStream;

/**
 * Long silence in few bytes, written here rather than kept as files: what a client sends to make a
 * small upload decode into hundreds of MB of samples (an hour of FLAC in about 110 kB, of 8 kbps MP3 in
 * 3.6 MB).
 */
final class SilentAudio {
    private static final int RATE = 16_000;

    private SilentAudio() {}

    /**
     * 16 kHz mono 16-bit FLAC: STREAMINFO, then frames of 4,608 samples, each one CONSTANT subframe of 0,
     * with the frame header's CRC-8 and the frame's CRC-16 that decoders check.
     */
    static byte[] flac(int seconds) {
        int block = 4608;
        long samples = (long) seconds * RATE;
        long frames = (samples + block - 1) / block;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {'f', 'L', 'a', 'C'});
        out.write(0x80); // last metadata block, STREAMINFO
        out.writeBytes(new byte[] {0, 0, 34});
        Bits info = new Bits();
        info.put(block, 16).put(block, 16).put(0, 24).put(0, 24).put(RATE, 20).put(0, 3).put(15, 5)
                .put(frames * block, 36);
        out.writeBytes(info.bytes());
        out.writeBytes(new byte[16]); // MD5 of the samples: zero, "not computed"
        for (long f = 0; f < frames; f++) {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xF8}); // sync, fixed block size
            frame.write(0x55); // block size code 5 (4,608), sample rate code 5 (16 kHz)
            frame.write(0x08); // mono, 16 bits per sample
            frame.writeBytes(utf8Number(f));
            frame.write(crc8(frame.toByteArray()));
            frame.writeBytes(new byte[] {0, 0, 0}); // CONSTANT subframe, no wasted bits; the value 0 in 16 bits
            int crc = crc16(frame.toByteArray());
            frame.write(crc >> 8);
            frame.write(crc);
            out.writeBytes(frame.toByteArray());
        }
        return out.toByteArray();
    }

    /**
     * MPEG-2 Layer III, 16 kHz mono at 8 kbps: 36-byte frames of 576 samples whose side information and
     * main data are all zero (no bits for any coefficient: silence).
     */
    static byte[] mp3(int seconds) {
        long frames = (long) seconds * RATE / 576;
        byte[] frame = new byte[36];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xF3; // MPEG-2, Layer III, no CRC
        frame[2] = (byte) 0x18; // 8 kbps, 16 kHz, no padding
        frame[3] = (byte) 0xC0; // mono
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long i = 0; i < frames; i++) {
            out.writeBytes(frame);
        }
        return out.toByteArray();
    }

    /** FLAC's "UTF-8" coding of a frame number. */
    private static byte[] utf8Number(long n) {
        if (n < 0x80) {
            return new byte[] {(byte) n};
        }
        if (n < 0x800) {
            return new byte[] {(byte) (0xC0 | n >> 6), (byte) (0x80 | n & 0x3F)};
        }
        if (n < 0x10000) {
            return new byte[] {(byte) (0xE0 | n >> 12), (byte) (0x80 | n >> 6 & 0x3F), (byte) (0x80 | n & 0x3F)};
        }
        return new byte[] {(byte) (0xF0 | n >> 18), (byte) (0x80 | n >> 12 & 0x3F), (byte) (0x80 | n >> 6 & 0x3F),
            (byte) (0x80 | n & 0x3F)};
    }

    private static int crc8(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= b & 0xFF;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x80) != 0 ? (crc << 1 ^ 0x07) & 0xFF : crc << 1 & 0xFF;
            }
        }
        return crc;
    }

    private static int crc16(byte[] data) {
        int crc = 0;
        for (byte b : data) {
            crc ^= (b & 0xFF) << 8;
            for (int i = 0; i < 8; i++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1 ^ 0x8005) & 0xFFFF : crc << 1 & 0xFFFF;
            }
        }
        return crc;
    }

    /** Big-endian bit packing for STREAMINFO. */
    private static final class Bits {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private long acc;
        private int n;

        Bits put(long value, int bits) {
            for (int i = bits - 1; i >= 0; i--) {
                acc = acc << 1 | (value >> i & 1);
                if (++n == 8) {
                    out.write((int) acc);
                    acc = 0;
                    n = 0;
                }
            }
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
