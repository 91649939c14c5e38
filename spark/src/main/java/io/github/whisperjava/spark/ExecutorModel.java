package io.github.whisperjava.spark;

import io.github.whisperjava.ModelOptions;
import io.github.whisperjava.Whisper;
import io.github.whisperjava.WhisperRuntime;
import io.github.whisperjava.models.ModelResolver;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkEnv;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one model of this executor JVM, shared by all its task threads.
 *
 * <p>Spark serialises functions to every task, so the model cannot travel with them: it lives here,
 * in a static, loaded on the first task that needs it (from {@code WHISPER_MODEL_PATH},
 * {@code WHISPER_MODEL_SIZE}... or their {@code -Dwhisper.model.*} twins, downloaded once into the
 * executor's cache) and closed when the executor JVM exits. Tasks share it through its pool of
 * states; see {@link SlotPlan} for how cores are divided.
 */
public final class ExecutorModel {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModel.class);
    private static final AtomicInteger LOADS = new AtomicInteger();
    private static volatile Whisper model;
    private static volatile SlotPlan plan;

    private ExecutorModel() {}

    /** The executor's model, loaded on first use. */
    static Whisper get() {
        Whisper m = model;
        if (m != null) {
            return m;
        }
        synchronized (ExecutorModel.class) {
            if (model == null) {
                model = load();
            }
            return model;
        }
    }

    /** The split this executor's model was loaded with (loads the model if needed). */
    static SlotPlan plan() {
        get();
        return plan;
    }

    /** How many times this JVM loaded a model: 1 once anything was transcribed, whatever the task count. */
    public static int loads() {
        return LOADS.get();
    }

    private static Whisper load() {
        SparkEnv env = SparkEnv.get();
        SlotPlan p = env == null ? new SlotPlan(Runtime.getRuntime().availableProcessors(), 1) : SlotPlan.of(env.conf());
        // the library's CPU budget is read once, when it is first used: set it before loading,
        // unless the user set WHISPER_CPU_THREADS themselves or this JVM already used the library
        if (System.getProperty("whisper.cpu.threads") == null && System.getenv("WHISPER_CPU_THREADS") == null
                && WhisperRuntime.isConfigurable()) {
            WhisperRuntime.configure().cpuThreads(p.executorCores()).apply();
        }
        long t0 = System.nanoTime();
        Whisper w = Whisper.load(ModelResolver.fromEnvironment().resolve(),
                ModelOptions.defaults().withConcurrency(p.slots()));
        int n = LOADS.incrementAndGet();
        LOG.info("whisper-spark: model loaded (load {} in this JVM) from {} in {} ms: {} task slots, {} whisper threads each",
                n, w.modelPath(), (System.nanoTime() - t0) / 1_000_000, p.slots(), p.threadsPerTask());
        plan = p;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> w.closeWithin(Duration.ofSeconds(30)), "whisper-spark-close"));
        return w;
    }
}
