package io.github.whisperjava.examples;

import io.github.whisperjava.LiveTranscription;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The raw PCM layouts {@code live} reads: what {@code arecord -f S16_LE} and {@code -f FLOAT_LE} write,
 * mono, no header. A sample split between two reads is joined, as a pipe hands over any byte count.
 */
enum SampleFormat {
    S16LE(2), F32LE(4);

    final int bytes;

    SampleFormat(int bytes) {
        this.bytes = bytes;
    }

    /** Feeds chunks of one stream to a session, keeping the bytes of a sample not yet whole. */
    Feed feed(LiveTranscription session) {
        return new Feed(this, session);
    }

    static final class Feed {
        private final SampleFormat format;
        private final LiveTranscription session;
        private final byte[] carry = new byte[4];
        private int carried;

        private Feed(SampleFormat format, LiveTranscription session) {
            this.format = format;
            this.session = session;
        }

        void accept(byte[] b, int length) {
            if (format == S16LE) {
                session.acceptPcm16(b, 0, length); // joins a split sample itself
                return;
            }
            int total = carried + length;
            float[] f = new float[total / 4];
            ByteBuffer all = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
            all.put(carry, 0, carried).put(b, 0, length).flip();
            for (int i = 0; i < f.length; i++) {
                f[i] = all.getFloat();
            }
            carried = all.remaining();
            all.get(carry, 0, carried);
            if (f.length > 0) {
                session.accept(f);
            }
        }
    }
}
