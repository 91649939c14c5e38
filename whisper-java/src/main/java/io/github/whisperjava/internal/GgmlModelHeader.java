package io.github.whisperjava.internal;

import io.github.whisperjava.ModelLoadException;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads and sanity-checks the structure of a whisper.cpp ggml model file before whisper.cpp sees it:
 * magic, hyper-parameters, mel filters, vocabulary, and every tensor record (dimensions, name, type,
 * and that its data lies inside the file).
 *
 * <p>whisper.cpp trusts these numbers: a corrupt length makes it allocate absurd sizes, and an unknown
 * tensor type indexes past ggml's type table. Checking here turns that into a {@link ModelLoadException}.
 * whisper.cpp then loads the bytes checked here, not the file again ({@link #readForLoad}).
 *
 * @param headerBytes where the tensor records start
 * @param tensors how many tensor records follow (0 for whisper.cpp's weightless for-tests models)
 */
public record GgmlModelHeader(int nVocab, int nAudioCtx, int nAudioState, int nAudioHead, int nAudioLayer,
        int nTextCtx, int nTextState, int nTextHead, int nTextLayer, int nMels, int ftype, long headerBytes,
        int tensors) {

    public static final int MAGIC = 0x67676d6c; // "ggml", little-endian in the file

    /** The size whisper.cpp would name this model (whisper_model_type_readable), from its encoder depth. */
    public String sizeName() {
        return switch (nAudioLayer) {
            case 4 -> "tiny";
            case 6 -> "base";
            case 12 -> "small";
            case 24 -> "medium";
            case 32 -> "large";
            default -> "unknown";
        };
    }

    /** Multilingual models have the larger vocabulary (whisper.cpp: n_vocab >= 51865). */
    public boolean multilingual() {
        return nVocab >= 51865;
    }

    public static GgmlModelHeader read(Path path) {
        return read(path, false).header();
    }

    /**
     * A model file as {@link #read} checked it, with what whisper.cpp loads in its place: {@code checked}
     * is the file without its tensor data, i.e. every byte whisper.cpp interprets (hyper-parameters, mel
     * filters, vocabulary, tensor records), and {@code tensorData} says where each tensor's data goes back
     * in: per tensor, {offset in {@code checked} it comes before, offset in the file, length}. Tensor data
     * whisper.cpp copies into its buffers as it is, so it may come from the file.
     */
    record Checked(GgmlModelHeader header, byte[] checked, long[] tensorData, Object fileKey, long size,
            FileTime modified) {
        /** Whether {@code path} is no longer the file checked: replaced, rewritten or touched since. */
        boolean changedSince(Path path) {
            try {
                BasicFileAttributes now = Files.readAttributes(path, BasicFileAttributes.class);
                return now.size() != size || !now.lastModifiedTime().equals(modified)
                        || !Objects.equals(now.fileKey(), fileKey);
            } catch (IOException e) {
                return true;
            }
        }
    }

    /**
     * As {@link #read}, keeping the checked bytes for whisper.cpp to load from (WhisperJni.initContext):
     * about 0.6 MB for a multilingual model. Letting whisper.cpp read the file itself after this check
     * let a file rewritten in between hand it numbers nobody checked, and crash the JVM.
     */
    static Checked readForLoad(Path path) {
        return read(path, true);
    }

    private static Checked read(Path path, boolean keep) {
        BasicFileAttributes attrs;
        try {
            if (!Files.exists(path)) {
                throw new ModelLoadException(path, "file does not exist");
            }
            if (!Files.isRegularFile(path)) {
                throw new ModelLoadException(path, "not a regular file");
            }
            if (!Files.isReadable(path)) {
                throw new ModelLoadException(path, "file is not readable");
            }
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new ModelLoadException(path, e.toString(), e);
        }
        long size = attrs.size();
        if (size == 0) {
            throw new ModelLoadException(path, "file is empty");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), 1 << 16)) {
            LittleEndian le = new LittleEndian(path, new DataInputStream(in), keep);
            GgmlModelHeader header = parse(path, le, size);
            return new Checked(header, le.kept(), le.tensorData(), attrs.fileKey(), size, attrs.lastModifiedTime());
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(path, "file does not exist", e);
        } catch (EOFException e) {
            throw new ModelLoadException(path, "file is truncated inside its header (" + size + " bytes)", e);
        } catch (IOException e) {
            throw new ModelLoadException(path, e.toString(), e);
        }
    }

    private static GgmlModelHeader parse(Path path, LittleEndian in, long size) throws IOException {
        int magic = in.int32();
        if (magic != MAGIC) {
            throw new ModelLoadException(path, String.format(
                    "not a whisper.cpp ggml model (magic 0x%08x, expected 0x%08x)", magic, MAGIC));
        }
        int[] h = new int[11];
        for (int i = 0; i < h.length; i++) {
            h[i] = in.int32();
        }
        int nVocab = h[0];
        int nMels = h[9];
        int ftype = h[10] % 1000; // the rest is the quantization version
        require(path, nVocab > 0 && nVocab <= 1 << 20, "n_vocab " + nVocab);
        for (int i = 1; i <= 8; i++) {
            require(path, h[i] > 0 && h[i] <= 1 << 14, "hyper-parameter #" + i + " = " + h[i]);
        }
        require(path, nMels > 0 && nMels <= 512, "n_mels " + nMels);
        // whisper.cpp assumes these when it builds its graphs, and a GGML_ASSERT aborts the JVM otherwise
        // (at the first state): its special tokens lie at 50256 and up, a head is state / heads wide, and
        // the decoder attends to the encoder's output with weights of its own width
        require(path, nVocab >= 51864, "n_vocab " + nVocab + " leaves no room for whisper's special tokens");
        require(path, h[2] % h[3] == 0, "n_audio_state " + h[2] + " is not a multiple of n_audio_head " + h[3]);
        require(path, h[6] % h[7] == 0, "n_text_state " + h[6] + " is not a multiple of n_text_head " + h[7]);
        require(path, h[2] == h[6], "n_audio_state " + h[2] + " differs from n_text_state " + h[6]);
        require(path, ftype >= 0 && ftype < 64, "ftype " + h[10]);

        int filterMels = in.int32();
        int filterFft = in.int32();
        require(path, filterMels > 0 && filterMels <= 512 && filterFft > 0 && filterFft <= 4096,
                "mel filter shape " + filterMels + "x" + filterFft);
        long filterBytes = 4L * filterMels * filterFft;
        require(path, in.position() + filterBytes <= size, "mel filters run past the end of the file");
        in.keep(filterBytes);

        int words = in.int32();
        require(path, words > 0 && words <= 1 << 20, "vocabulary size " + words);
        for (int i = 0; i < words; i++) {
            long len = Integer.toUnsignedLong(in.int32());
            require(path, len <= 1 << 16, "vocabulary entry " + i + " has length " + len);
            require(path, in.position() + len <= size, "vocabulary runs past the end of the file");
            in.keep(len);
        }
        long headerBytes = in.position();
        int tensors = 0;
        while (in.position() < size) {
            checkTensor(path, in, size, tensors);
            tensors++;
        }
        return new GgmlModelHeader(nVocab, h[1], h[2], h[3], h[4], h[5], h[6], h[7], h[8], nMels, ftype,
                headerBytes, tensors);
    }

    /** ggml types a whisper model file may hold: {type id, block size, bytes per block}. */
    private static final int[][] TYPES = {
        {0, 1, 4}, {1, 1, 2}, {2, 32, 18}, {3, 32, 20}, {6, 32, 22}, {7, 32, 24}, {8, 32, 34}, {30, 1, 2},
    };

    /** Bytes of {@code elements} values of ggml type {@code type}, or -1 for a type we do not accept. */
    public static long tensorBytes(int type, long elements) {
        for (int[] t : TYPES) {
            if (t[0] == type) {
                return elements % t[1] == 0 ? elements / t[1] * t[2] : -1;
            }
        }
        return -1;
    }

    private static void checkTensor(Path path, LittleEndian in, long size, int index) throws IOException {
        String where = "tensor record " + index + " at byte " + in.position();
        if (size - in.position() < 12) {
            throw new ModelLoadException(path, "file is truncated in " + where);
        }
        int nDims = in.int32();
        int nameLen = in.int32();
        int type = in.int32();
        require(path, nDims >= 1 && nDims <= 4, where + ": " + nDims + " dimensions");
        require(path, nameLen >= 1 && nameLen <= 512, where + ": name length " + nameLen);
        require(path, size - in.position() >= 4L * nDims + nameLen, where + " runs past the end of the file");
        long elements = 1;
        for (int i = 0; i < nDims; i++) {
            int ne = in.int32();
            require(path, ne > 0 && ne <= 1 << 24, where + ": dimension " + i + " = " + ne);
            elements *= ne;
        }
        require(path, elements <= 1L << 33, where + ": " + elements + " elements");
        in.keep(nameLen);
        long bytes = tensorBytes(type, elements);
        require(path, bytes >= 0, where + ": unsupported ggml type " + type + " for " + elements + " elements");
        if (in.position() + bytes > size) {
            throw new ModelLoadException(path, "file is truncated in the data of " + where + " (needs " + bytes
                    + " bytes, " + (size - in.position()) + " left)");
        }
        in.tensorData(bytes);
    }

    private static void require(Path path, boolean ok, String what) {
        if (!ok) {
            throw new ModelLoadException(path, "corrupt header: " + what);
        }
    }

    /** More than any whisper model's checked bytes (large-v3: 0.7 MB): a bound on what Java keeps. */
    private static final int MAX_KEPT = 64 << 20;

    /**
     * Little-endian reads with a position, over a DataInputStream (which is big-endian); when keeping,
     * a copy of every byte but tensor data, and where the tensor data lies.
     */
    private static final class LittleEndian {
        private final Path path;
        private final DataInputStream in;
        private final ByteArrayOutputStream kept; // null: check only
        private long[] tensorData = new long[3 * 64];
        private int tensorValues;
        private long position;

        LittleEndian(Path path, DataInputStream in, boolean keep) {
            this.path = path;
            this.in = in;
            this.kept = keep ? new ByteArrayOutputStream(1 << 20) : null;
        }

        int int32() throws IOException {
            int v = Integer.reverseBytes(in.readInt());
            position += 4;
            if (kept != null) {
                kept.write(v);
                kept.write(v >> 8);
                kept.write(v >> 16);
                kept.write(v >> 24);
            }
            return v;
        }

        /** Bytes whisper.cpp interprets: kept when keeping. */
        void keep(long n) throws IOException {
            if (kept == null) {
                skip(n);
                return;
            }
            require(path, kept.size() + n <= MAX_KEPT, "over " + MAX_KEPT + " bytes of header and tensor records");
            byte[] b = new byte[(int) n];
            in.readFully(b);
            kept.write(b);
            position += n;
        }

        /** One tensor's data: skipped, and its place noted. */
        void tensorData(long n) throws IOException {
            if (kept != null) {
                if (tensorValues == tensorData.length) {
                    tensorData = Arrays.copyOf(tensorData, 2 * tensorData.length);
                }
                tensorData[tensorValues++] = kept.size();
                tensorData[tensorValues++] = position;
                tensorData[tensorValues++] = n;
            }
            skip(n);
        }

        byte[] kept() {
            return kept == null ? null : kept.toByteArray();
        }

        long[] tensorData() {
            return kept == null ? null : Arrays.copyOf(tensorData, tensorValues);
        }

        private void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long s = in.skip(left);
                if (s <= 0) {
                    throw new EOFException();
                }
                left -= s;
            }
            position += n;
        }

        long position() {
            return position;
        }
    }
}
