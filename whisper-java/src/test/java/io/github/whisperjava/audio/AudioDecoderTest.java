package io.github.whisperjava.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.AudioFormatException;
import io.github.whisperjava.AudioTooLongException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MP3, FLAC and Ogg Vorbis (ffmpeg's encodings of jfk.wav, see make-fixtures.sh) decode, through the
 * native miniaudio, to jfk.wav's 16 kHz signal; every other format is refused by name.
 */
class AudioDecoderTest {
    static float[] jfk;

    @TempDir
    Path tmp;

    @BeforeAll
    static void readReference() {
        jfk = WavReader.read16kMono(AudioFixtures.JFK_WAV);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jfk.mp3", "jfk.ogg"})
    void lossyFormatsDecodeToJfksSignal(String file) {
        float[] pcm = AudioDecoder.decode16kMono(AudioFixtures.path(file));
        assertEquals(11.0, pcm.length / 16_000.0, 0.15, file + ": " + pcm.length + " samples");
        Alignment a = Alignment.best(jfk, pcm, 2_400);
        System.out.printf("%s: %d samples (jfk.wav %d), best lag %d samples, correlation %.4f%n", file, pcm.length,
                jfk.length, a.lag, a.correlation);
        assertTrue(a.correlation > 0.9, file + ": correlation " + a.correlation + " at lag " + a.lag);
    }

    @Test
    void flacIsBitExactToTheWav() {
        float[] pcm = AudioDecoder.decode16kMono(AudioFixtures.path("jfk.flac"));
        assertEquals(jfk.length, pcm.length);
        float worst = 0;
        for (int i = 0; i < pcm.length; i++) {
            worst = Math.max(worst, Math.abs(pcm[i] - jfk[i]));
        }
        assertTrue(worst < 1e-4, "largest difference " + worst);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jfk.mp3", "jfk.flac", "jfk.ogg", "seed.wav"})
    void pathBytesAndStreamGiveTheSameSamples(String file) throws IOException {
        Path p = AudioFixtures.path(file);
        byte[] bytes = Files.readAllBytes(p);
        float[] fromPath = AudioDecoder.decode16kMono(p);
        assertArrayEquals(fromPath, AudioDecoder.decode16kMono(bytes));
        try (InputStream in = Files.newInputStream(p)) {
            assertArrayEquals(fromPath, AudioDecoder.decode16kMono(in));
        }
        // a stream that hands out a few bytes at a time (a socket) reads the same
        assertArrayEquals(fromPath, AudioDecoder.decode16kMono(new Trickle(bytes)));
        FloatBuffer direct = AudioDecoder.decode16kMonoDirect(p, WavReader.DEFAULT_MAX_DURATION);
        assertTrue(direct.isDirect());
        float[] d = new float[direct.remaining()];
        direct.get(d);
        assertArrayEquals(fromPath, d);
    }

    /**
     * A pipe ({@code <(cat a.wav)}, a FIFO, {@code /dev/stdin}) can be read once and has no length: it is
     * read as a stream, through both routes a path takes. It used to be "empty (0 bytes)": the format was
     * sniffed from it first, which drained it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"seed.wav", "jfk.flac"})
    void aPipeIsReadAsAStream(String file) throws Exception {
        byte[] bytes = Files.readAllBytes(AudioFixtures.path(file));
        float[] expected = AudioDecoder.decode16kMono(bytes);
        assertArrayEquals(expected, AudioDecoder.decode16kMono(fifoOf(bytes, "a-" + file)));
        FloatBuffer direct = AudioDecoder.decode16kMonoDirect(fifoOf(bytes, "b-" + file), Duration.ofHours(1));
        float[] got = new float[direct.remaining()];
        direct.get(got);
        assertArrayEquals(expected, got);
    }

    @Test
    void aDirectoryIsNamedAsOne() {
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(tmp));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    /** A FIFO that a daemon thread fills with {@code bytes} once a reader opens it. */
    private Path fifoOf(byte[] bytes, String name) throws Exception {
        Path fifo = tmp.resolve(name);
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Thread writer = new Thread(() -> {
            try (OutputStream o = Files.newOutputStream(fifo)) {
                o.write(bytes);
            } catch (IOException e) {
                // the reader gave up: the test reports why
            }
        });
        writer.setDaemon(true);
        writer.start();
        return fifo;
    }

    @Test
    void threadsDecodeAtOnceAsOneDoesAlone() throws Exception {
        // a service decodes uploads on many threads, each call with its own ma_decoder: nothing else may show
        String[] files = {"jfk.mp3", "jfk.flac", "jfk.ogg"};
        Map<String, float[]> alone = new HashMap<>();
        for (String f : files) {
            alone.put(f, AudioDecoder.decode16kMono(AudioFixtures.path(f)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                String f = files[i % files.length];
                runs.add(pool.submit(() -> assertArrayEquals(alone.get(f), AudioDecoder.decode16kMono(AudioFixtures.path(f)))));
            }
            for (Future<?> r : runs) {
                r.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theContentDecidesNotTheFileName() throws IOException {
        Path disguised = Files.copy(AudioFixtures.path("jfk.mp3"), tmp.resolve("jfk.wav"));
        assertArrayEquals(AudioDecoder.decode16kMono(AudioFixtures.path("jfk.mp3")), AudioDecoder.decode16kMono(disguised));
        Path wavAsOgg = Files.copy(AudioFixtures.path("seed.wav"), tmp.resolve("seed.ogg"));
        assertArrayEquals(WavReader.read16kMono(AudioFixtures.path("seed.wav")), AudioDecoder.decode16kMono(wavAsOgg));
    }

    @ParameterizedTest
    @CsvSource({"unsupported.opus, Ogg Opus, in.opus", "unsupported.m4a, MP4/M4A, in.m4a",
        "unsupported.aac, raw AAC (ADTS), in.aac", "unsupported.webm, WebM/Matroska, in.webm",
        "unsupported.aiff, AIFF, in.aiff"})
    void unsupportedFormatsAreNamedWithWhatToDo(String file, String named, String example) throws IOException {
        Path p = AudioFixtures.path(file);
        for (Throwable e : new Throwable[] {
            assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(p)),
            assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(Files.readAllBytes(p))),
            assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(Files.newInputStream(p)))}) {
            String m = e.getMessage();
            assertTrue(m.contains("is " + named) && m.contains("not supported"), m);
            assertTrue(m.contains("convert it to WAV, MP3, FLAC or Ogg Vorbis, e.g. ffmpeg -i " + example
                    + " -ar 16000 -ac 1 out.wav"), m);
        }
    }

    @Test
    void aRefusedFormatIsNotReadPastItsFirstBytes() throws IOException {
        byte[] m4a = Files.readAllBytes(AudioFixtures.path("unsupported.m4a"));
        InputStream endless = new InputStream() { // an M4A upload of unbounded length
            private long at;

            @Override
            public int read() {
                assertTrue(at < 1 << 20, "read " + at + " bytes of a format it refuses");
                return at < m4a.length ? m4a[(int) at++] & 0xff : (int) (at++ & 0x7f);
            }
        };
        String m = assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(endless)).getMessage();
        assertTrue(m.contains("is MP4/M4A audio (AAC or ALAC), which is not supported"), m);
    }

    @Test
    void emptyGarbageAndTruncatedInputsAreClearErrors() throws IOException {
        assertTrue(error(new byte[0]).contains("is empty (0 bytes)"), error(new byte[0]));
        Path empty = Files.write(tmp.resolve("empty.mp3"), new byte[0]);
        assertTrue(assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(empty)).getMessage()
                .contains("is empty (0 bytes)"));
        String text = error("hello, this is not audio".getBytes());
        assertTrue(text.contains("not audio in a format whisper-java reads") && text.contains("68 65 6c 6c"), text);
        for (String f : new String[] {"jfk.mp3", "jfk.flac", "jfk.ogg"}) {
            byte[] all = Files.readAllBytes(AudioFixtures.path(f));
            for (int cut : new int[] {4, 40, 200}) {
                String m = error(Arrays.copyOf(all, cut));
                assertTrue(m.contains("the audio (" + cut + " bytes)"), f + " cut at " + cut + ": " + m);
            }
            // cut in the middle: what is there decodes, as a truncated WAV does
            float[] half = AudioDecoder.decode16kMono(Arrays.copyOf(all, all.length / 2));
            assertTrue(half.length > 3 * 16_000 && half.length < 9 * 16_000, f + ": " + half.length);
        }
        assertTrue(assertThrows(AudioFormatException.class,
                () -> AudioDecoder.decode16kMono(tmp.resolve("missing.mp3"))).getMessage().contains("does not exist"));
    }

    static String error(byte[] audio) {
        return assertThrows(AudioFormatException.class, () -> AudioDecoder.decode16kMono(audio)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jfk.mp3", "jfk.flac", "jfk.ogg", "jfk.wav"})
    void audioPastTheMaximumIsRefused(String file) throws IOException {
        Path p = file.equals("jfk.wav") ? AudioFixtures.JFK_WAV : AudioFixtures.path(file);
        AudioTooLongException e = assertThrows(AudioTooLongException.class,
                () -> AudioDecoder.decode16kMono(Files.readAllBytes(p), Duration.ofSeconds(5)));
        assertEquals(Duration.ofSeconds(5), e.maximum());
        assertTrue(e.duration().compareTo(Duration.ofSeconds(5)) > 0, e.getMessage());
        // the maximum itself is allowed
        assertTrue(AudioDecoder.decode16kMono(Files.readAllBytes(p), Duration.ofSeconds(12)).length > 10 * 16_000);
    }

    @Test
    void theSnifferNamesContainersFromTheirFirstBytes() throws IOException {
        assertEquals(AudioContainer.MP3, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("jfk.mp3"))));
        assertEquals(AudioContainer.FLAC, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("jfk.flac"))));
        assertEquals(AudioContainer.OGG_VORBIS, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("jfk.ogg"))));
        assertEquals(AudioContainer.WAV, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("seed.wav"))));
        assertEquals(AudioContainer.OGG_OPUS, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("unsupported.opus"))));
        assertEquals(AudioContainer.MP4, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("unsupported.m4a"))));
        assertEquals(AudioContainer.AAC_ADTS, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("unsupported.aac"))));
        assertEquals(AudioContainer.WEBM, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("unsupported.webm"))));
        assertEquals(AudioContainer.AIFF, AudioContainer.of(Files.readAllBytes(AudioFixtures.path("unsupported.aiff"))));
        // MPEG frame sync without a tag (layer III, MPEG-1, 128 kbit/s, 44.1 kHz) and with reserved values
        assertEquals(AudioContainer.MP3, AudioContainer.of(bytes(0xff, 0xfb, 0x90, 0x64)));
        assertEquals(AudioContainer.UNKNOWN, AudioContainer.of(bytes(0xff, 0xfb, 0xf0, 0x64)));
        assertEquals(AudioContainer.UNKNOWN, AudioContainer.of(bytes(0xff, 0xef, 0x90, 0x64)));
        assertEquals(AudioContainer.AAC_ADTS, AudioContainer.of(bytes(0xff, 0xf9, 0x50, 0x80)));
        assertEquals(AudioContainer.RF64, AudioContainer.of("RF64\u00ff\u00ff\u00ff\u00ffWAVE".getBytes("ISO-8859-1")));
        assertEquals(AudioContainer.OGG_OTHER, AudioContainer.of("OggS\0\u0002".getBytes("ISO-8859-1")));
        assertEquals(AudioContainer.UNKNOWN, AudioContainer.of(new byte[0]));
        // an ID3 tag in front of FLAC names FLAC, and decodes as FLAC
        byte[] id3 = bytes('I', 'D', '3', 4, 0, 0, 0, 0, 0, 2, 0, 0);
        byte[] flac = Files.readAllBytes(AudioFixtures.path("seed.flac"));
        byte[] tagged = Arrays.copyOf(id3, id3.length + flac.length);
        System.arraycopy(flac, 0, tagged, id3.length, flac.length);
        assertEquals(AudioContainer.FLAC, AudioContainer.of(tagged));
        assertArrayEquals(AudioDecoder.decode16kMono(flac), AudioDecoder.decode16kMono(tagged)); // dr_flac skips it
    }

    static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    /** The lag of {@code b} against {@code a} (within ±maxLag) with the highest normalized correlation. */
    record Alignment(int lag, double correlation) {
        static Alignment best(float[] a, float[] b, int maxLag) {
            Alignment best = new Alignment(0, -1);
            for (int lag = -maxLag; lag <= maxLag; lag++) {
                double ab = 0;
                double aa = 0;
                double bb = 0;
                for (int i = Math.max(0, -lag); i < a.length && i + lag < b.length; i++) {
                    double x = a[i];
                    double y = b[i + lag];
                    ab += x * y;
                    aa += x * x;
                    bb += y * y;
                }
                double c = ab / Math.sqrt(aa * bb);
                if (c > best.correlation) {
                    best = new Alignment(lag, c);
                }
            }
            return best;
        }
    }

    /** An InputStream that returns at most 7 bytes per read. */
    static final class Trickle extends ByteArrayInputStream {
        Trickle(byte[] b) {
            super(b);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 7));
        }
    }
}
