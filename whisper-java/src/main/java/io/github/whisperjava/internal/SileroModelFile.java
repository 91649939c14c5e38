package io.github.whisperjava.internal;

import io.github.whisperjava.ModelLoadException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a Silero VAD model file before whisper.cpp sees it. whisper.cpp 1.9.1's
 * {@code whisper_vad_init_with_params} trusts the file: fewer than 4 encoder layers index past the
 * arrays it allocates, more than 4 dimensions write past a 4-element array on the stack, a bad tensor
 * type indexes past ggml's type table, and hyperparameters that do not fit its graph end in a
 * {@code GGML_ASSERT}, which aborts the JVM. So the whole file must be the one architecture that
 * version builds (Silero v5 and v6 share it): these hyperparameters, these 15 tensors with these shapes
 * and types, each once, and nothing after them. Only the weights and the version numbers may vary.
 */
public final class SileroModelFile {
    static final int GGML_MAGIC = 0x67676d6c;
    static final int MAX_BYTES = 16 << 20; // the real file is 885,098 bytes

    /** hparams after the version: n_window, n_context, layers, 4 x (in, out, kernel), lstm in/hidden, final in/out. */
    static final int[] HPARAMS = {512, 64, 4, 129, 128, 3, 128, 64, 3, 64, 64, 3, 64, 128, 3, 128, 128, 128, 1};

    /** name -> {ggml type (0 f32, 1 f16), dims...}. */
    static final Map<String, int[]> TENSORS = Map.ofEntries(
            Map.entry("_model.encoder.0.reparam_conv.weight", new int[] {1, 3, 129, 128}),
            Map.entry("_model.encoder.0.reparam_conv.bias", new int[] {0, 128}),
            Map.entry("_model.encoder.1.reparam_conv.weight", new int[] {1, 3, 128, 64}),
            Map.entry("_model.encoder.1.reparam_conv.bias", new int[] {0, 64}),
            Map.entry("_model.encoder.2.reparam_conv.weight", new int[] {1, 3, 64, 64}),
            Map.entry("_model.encoder.2.reparam_conv.bias", new int[] {0, 64}),
            Map.entry("_model.encoder.3.reparam_conv.weight", new int[] {1, 3, 64, 128}),
            Map.entry("_model.encoder.3.reparam_conv.bias", new int[] {0, 128}),
            Map.entry("_model.decoder.rnn.weight_ih", new int[] {0, 128, 512}),
            Map.entry("_model.decoder.rnn.weight_hh", new int[] {0, 128, 512}),
            Map.entry("_model.decoder.rnn.bias_ih", new int[] {0, 512}),
            Map.entry("_model.decoder.rnn.bias_hh", new int[] {0, 512}),
            Map.entry("_model.decoder.decoder.2.weight", new int[] {1, 128}),
            Map.entry("_model.decoder.decoder.2.bias", new int[] {0}),
            Map.entry("_model.stft.forward_basis_buffer", new int[] {1, 256, 1, 258}));

    private SileroModelFile() {}

    /** @throws ModelLoadException naming what is wrong with the file */
    public static void check(Path file) {
        read(file);
    }

    /**
     * The file's bytes, checked: what is loaded must be what was checked, so callers load these, not
     * the path again (the file could change in between).
     *
     * @throws ModelLoadException naming what is wrong with the file
     */
    static byte[] read(Path file) {
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_BYTES) {
                throw bad(file, "it is " + size + " bytes; a Silero VAD model is under 1 MB");
            }
            b = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining() && ch.read(b) >= 0) {
                // read it all
            }
            b.flip();
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(file, "no such file");
        } catch (IOException e) {
            throw new ModelLoadException(file, "cannot read it: " + e);
        }
        try {
            if (b.getInt() != GGML_MAGIC) {
                throw bad(file, "it does not start with the ggml magic");
            }
            int typeLength = b.getInt();
            if (typeLength < 1 || typeLength > 64 || typeLength > b.remaining()) {
                throw bad(file, "its model type has a length of " + typeLength);
            }
            byte[] type = new byte[typeLength];
            b.get(type);
            if (!new String(type, StandardCharsets.US_ASCII).startsWith("silero")) {
                throw bad(file, "its model type is not silero");
            }
            b.getInt(); // version: major, minor, patch
            b.getInt();
            b.getInt();
            for (int i = 0; i < HPARAMS.length; i++) {
                int v = b.getInt();
                if (v != HPARAMS[i]) {
                    throw bad(file, "hyperparameter " + i + " is " + v + ", expected " + HPARAMS[i]
                            + " (the Silero v5/v6 architecture whisper.cpp 1.9.1 runs)");
                }
            }
            Map<String, Boolean> seen = new HashMap<>();
            while (b.hasRemaining()) {
                int dims = b.getInt();
                int nameLength = b.getInt();
                int ggmlType = b.getInt();
                if (dims < 0 || dims > 4 || nameLength < 1 || nameLength > 64 || (ggmlType != 0 && ggmlType != 1)) {
                    throw bad(file, "a tensor record is malformed (dims " + dims + ", name length " + nameLength
                            + ", type " + ggmlType + ")");
                }
                int[] shape = new int[dims];
                long elements = 1;
                for (int d = 0; d < dims; d++) {
                    shape[d] = b.getInt();
                    elements *= Math.max(0, shape[d]);
                }
                byte[] nameBytes = new byte[nameLength];
                b.get(nameBytes);
                String name = new String(nameBytes, StandardCharsets.US_ASCII);
                int[] expected = TENSORS.get(name);
                if (expected == null || seen.put(name, true) != null) {
                    throw bad(file, expected == null ? "it has an unknown tensor" : "tensor " + name + " appears twice");
                }
                int[] got = new int[dims + 1];
                got[0] = ggmlType;
                System.arraycopy(shape, 0, got, 1, dims);
                if (!Arrays.equals(got, expected)) {
                    throw bad(file, "tensor " + name + " has type/shape " + Arrays.toString(got)
                            + ", expected " + Arrays.toString(expected));
                }
                long bytes = elements * (ggmlType == 0 ? 4 : 2);
                if (bytes > b.remaining()) {
                    throw bad(file, "it is truncated in tensor " + name);
                }
                b.position(b.position() + (int) bytes);
            }
            if (seen.size() != TENSORS.size()) {
                throw bad(file, "it has " + seen.size() + " of the " + TENSORS.size() + " tensors");
            }
            return Arrays.copyOf(b.array(), b.limit());
        } catch (BufferUnderflowException e) {
            throw bad(file, "it is truncated");
        }
    }

    private static ModelLoadException bad(Path file, String why) {
        return new ModelLoadException(file, "not a Silero VAD model whisper.cpp can run: " + why);
    }
}
