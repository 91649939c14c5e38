package io.github.whisperjava.tools;

import io.github.whisperjava.internal.GgmlModelHeader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Writes a whisper model file with the exact tensor layout, types and byte size of a real model of a
 * given size and quantization, filled with finite pseudo-random weights.
 *
 * <p>It starts from the header and vocabulary of whisper.cpp's weightless for-tests model of that size,
 * appends every tensor whisper.cpp expects (names, shapes and types as {@code whisper_model_load}
 * creates them) as f16, and for q5_0/q5_1/q8_0 runs the {@code whisper-quantize} built from the same
 * pinned sources, so quantized layouts are upstream's own. Loading such a file costs what loading the
 * real model costs (same bytes, same allocations); what it decodes is noise, so benchmarks bound
 * decoding (a token limit) the same way in every compared path.
 *
 * <p>{@code java -cp whisper-java.jar io.github.whisperjava.tools.ModelFixture SIZE QUANT OUT_DIR
 * SHARED_MODELS_DIR WHISPER_CPP_BIN [SEED]}
 */
public final class ModelFixture {
    /** Bump when the generated content changes, so cached fixtures are not reused. */
    static final int VERSION = 1;

    private ModelFixture() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: ModelFixture SIZE QUANT OUT_DIR SHARED_MODELS_DIR WHISPER_CPP_BIN [SEED]");
            System.exit(2);
        }
        long seed = args.length > 5 ? Long.parseLong(args[5]) : 42;
        Path p = generate(args[0], args[1], Paths.get(args[2]), Paths.get(args[3]), Paths.get(args[4]), seed);
        System.out.println(p + " " + Files.size(p));
    }

    /**
     * Returns {@code outDir/fixture-<size>-<quant>-s<seed>-v<VERSION>.bin}, generating it if absent.
     *
     * @param size a for-tests size: tiny, tiny.en, base, base.en, small, small.en, medium, medium.en, large
     * @param quant f16, q5_0, q5_1 or q8_0
     */
    public static synchronized Path generate(String size, String quant, Path outDir, Path sharedModels,
            Path whisperCppBin, long seed) throws IOException {
        Path out = outDir.resolve("fixture-" + size + "-" + quant + "-s" + seed + "-v" + VERSION + ".bin");
        if (Files.isRegularFile(out)) {
            return out;
        }
        Files.createDirectories(outDir);
        Path source = sharedModels.resolve("for-tests-ggml-" + size + ".bin");
        Path f16 = quant.equals("f16") ? out : outDir.resolve(out.getFileName() + ".f16.tmp");
        Path tmp = f16.resolveSibling(f16.getFileName() + ".part");
        writeF16(source, tmp, seed);
        Files.move(tmp, f16, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (!quant.equals("f16")) {
            Path qtmp = out.resolveSibling(out.getFileName() + ".part");
            quantize(whisperCppBin.resolve("whisper-quantize"), f16, qtmp, quant);
            Files.delete(f16);
            Files.move(qtmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        return out;
    }

    private record Tensor(String name, int[] shape, int type) {
        long elements() {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** The tensors of whisper_model_load (whisper.cpp v1.9.1) for an f16 model: type 0 = f32, 1 = f16. */
    static List<Tensor> layout(GgmlModelHeader h) {
        final int f32 = 0;
        final int f16 = 1;
        int as = h.nAudioState();
        int ts = h.nTextState();
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("encoder.positional_embedding", new int[] {as, h.nAudioCtx()}, f32));
        t.add(new Tensor("encoder.conv1.weight", new int[] {3, h.nMels(), as}, f16));
        t.add(new Tensor("encoder.conv1.bias", new int[] {1, as}, f32));
        t.add(new Tensor("encoder.conv2.weight", new int[] {3, as, as}, f16));
        t.add(new Tensor("encoder.conv2.bias", new int[] {1, as}, f32));
        t.add(new Tensor("encoder.ln_post.weight", new int[] {as}, f32));
        t.add(new Tensor("encoder.ln_post.bias", new int[] {as}, f32));
        for (int i = 0; i < h.nAudioLayer(); i++) {
            block(t, "encoder.blocks." + i + ".", as, false);
        }
        t.add(new Tensor("decoder.positional_embedding", new int[] {ts, h.nTextCtx()}, f32));
        t.add(new Tensor("decoder.token_embedding.weight", new int[] {ts, h.nVocab()}, f16));
        t.add(new Tensor("decoder.ln.weight", new int[] {ts}, f32));
        t.add(new Tensor("decoder.ln.bias", new int[] {ts}, f32));
        for (int i = 0; i < h.nTextLayer(); i++) {
            block(t, "decoder.blocks." + i + ".", ts, true);
        }
        return t;
    }

    private static void block(List<Tensor> t, String p, int n, boolean cross) {
        t.add(new Tensor(p + "mlp_ln.weight", new int[] {n}, 0));
        t.add(new Tensor(p + "mlp_ln.bias", new int[] {n}, 0));
        t.add(new Tensor(p + "mlp.0.weight", new int[] {n, 4 * n}, 1));
        t.add(new Tensor(p + "mlp.0.bias", new int[] {4 * n}, 0));
        t.add(new Tensor(p + "mlp.2.weight", new int[] {4 * n, n}, 1));
        t.add(new Tensor(p + "mlp.2.bias", new int[] {n}, 0));
        attention(t, p + "attn", n);
        if (cross) {
            attention(t, p + "cross_attn", n);
        }
    }

    private static void attention(List<Tensor> t, String p, int n) {
        t.add(new Tensor(p + "_ln.weight", new int[] {n}, 0));
        t.add(new Tensor(p + "_ln.bias", new int[] {n}, 0));
        t.add(new Tensor(p + ".query.weight", new int[] {n, n}, 1));
        t.add(new Tensor(p + ".query.bias", new int[] {n}, 0));
        t.add(new Tensor(p + ".key.weight", new int[] {n, n}, 1));
        t.add(new Tensor(p + ".value.weight", new int[] {n, n}, 1));
        t.add(new Tensor(p + ".value.bias", new int[] {n}, 0));
        t.add(new Tensor(p + ".out.weight", new int[] {n, n}, 1));
        t.add(new Tensor(p + ".out.bias", new int[] {n}, 0));
    }

    private static void writeF16(Path source, Path out, long seed) throws IOException {
        GgmlModelHeader h = GgmlModelHeader.read(source);
        if (h.tensors() != 0) {
            throw new IllegalArgumentException(source + " already has tensors; expected a weightless for-tests model");
        }
        byte[] header = Files.readAllBytes(source);
        ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN).putInt(4 + 10 * 4, 1); // ftype = f16
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (Tensor t : layout(h)) {
                byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
                buf.putInt(t.shape().length).putInt(name.length).putInt(t.type());
                for (int d : t.shape()) {
                    buf.putInt(d);
                }
                buf.put(name);
                SplittableRandom rnd = new SplittableRandom(seed ^ t.name().hashCode());
                float scale = scale(t);
                boolean normWeight = t.name().endsWith("ln.weight") || t.name().endsWith("ln_post.weight");
                for (long i = 0; i < t.elements(); i++) {
                    if (buf.remaining() < 4) {
                        flush(ch, buf);
                    }
                    float v = normWeight ? 1.0f : (float) ((rnd.nextDouble() * 2 - 1) * scale);
                    if (t.type() == 0) {
                        buf.putFloat(v);
                    } else {
                        buf.putShort(toHalf(v));
                    }
                }
            }
            flush(ch, buf);
        }
    }

    // weights ~ U(-1/sqrt(fan_in), 1/sqrt(fan_in)) keep activations O(1) through the layers; biases small
    private static float scale(Tensor t) {
        if (t.shape().length == 1 || t.name().endsWith(".bias")) {
            return 0.02f;
        }
        if (t.name().contains("positional_embedding") || t.name().contains("token_embedding")) {
            return 0.1f;
        }
        long fanIn = t.shape().length == 3 ? (long) t.shape()[0] * t.shape()[1] : t.shape()[0];
        return (float) (1.0 / Math.sqrt(fanIn));
    }

    private static void flush(FileChannel ch, ByteBuffer buf) throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        buf.clear();
    }

    /** IEEE 754 binary16, round to nearest; inputs here are small and finite. */
    static short toHalf(float f) {
        int bits = Float.floatToIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = ((bits >>> 23) & 0xff) - 127 + 15;
        int mant = bits & 0x7fffff;
        if (exp <= 0) {
            if (exp < -10) {
                return (short) sign;
            }
            mant |= 0x800000;
            int shift = 14 - exp;
            int half = mant >> shift;
            if (((mant >> (shift - 1)) & 1) != 0) {
                half++;
            }
            return (short) (sign | half);
        }
        if (exp >= 31) {
            return (short) (sign | 0x7bff); // clamp to the largest finite half
        }
        int half = sign | (exp << 10) | (mant >> 13);
        if ((mant & 0x1000) != 0) {
            half++;
        }
        return (short) half;
    }

    private static void quantize(Path tool, Path in, Path out, String quant) throws IOException {
        if (!Files.isExecutable(tool)) {
            throw new IOException("whisper-quantize not found at " + tool);
        }
        Path log = out.resolveSibling(out.getFileName() + ".log");
        Process p = new ProcessBuilder(tool.toString(), in.toString(), out.toString(), quant)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IOException("whisper-quantize failed (" + p.exitValue() + "): " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while quantizing", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** For callers that cannot throw IOException. */
    public static Path generateUnchecked(String size, String quant, Path outDir, Path sharedModels, Path bin, long seed) {
        try {
            return generate(size, quant, outDir, sharedModels, bin, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
