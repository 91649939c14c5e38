/*
 * JNI shim over whisper.cpp's C API for io.github.whisperjava.internal.WhisperJni.
 *
 * Thin on purpose: it converts arguments, calls whisper.cpp, checks what whisper.cpp does not check
 * (segment/token indexes, a loaded backend), and turns every failure into a Java exception. Policy
 * (defaults, validation of user input, pooling, lifecycle) lives in Java.
 *
 * Rules kept on every path: no NewStringUTF on model output (it may be invalid UTF-8: bytes go up and
 * Java decodes them), every Get*ArrayElements/critical region released, every upcall followed by an
 * exception check, no JNI call while an exception is pending.
 */
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ggml-backend.h"
#include "whisper.h"
#include "whisper_guard.h"

#define JW_EXPORT __attribute__((visibility("default")))

static JavaVM *jw_vm;
static jclass jw_cls_jni;            /* WhisperJni, for the log upcall */
static jmethodID jw_mid_log;         /* static void onLog(int level, byte[] text) */
static jclass jw_cls_whisper_exc;    /* io.github.whisperjava.WhisperException */
static jclass jw_cls_illegal_state;
static jclass jw_cls_illegal_arg;
static jclass jw_cls_oom;
static jmethodID jw_mid_progress;    /* NativeListener.onProgress(int) */
static jmethodID jw_mid_segments;    /* NativeListener.onNewSegments(int) */
static jmethodID jw_mid_stop;        /* NativeListener.shouldStop(): thread interrupted? */

/* NativeFullParams field IDs: the Java class is the only writer of this layout. */
static struct {
    jfieldID strategy, n_threads, n_max_text_ctx, offset_ms, duration_ms, translate, no_context,
        no_timestamps, single_segment, token_timestamps, thold_pt, max_len, split_on_word, max_tokens,
        audio_ctx, language, prompt_tokens, suppress_blank, suppress_nst,
        temperature, temperature_inc, entropy_thold, logprob_thold, no_speech_thold, best_of,
        beam_size;
} jw_fp;

/* One whisper_state plus what cancels it. Owned by the Java NativeModel that made it (its pool). */
typedef struct {
    struct whisper_state *state;
    atomic_int abort;             /* set by cancel(), from any thread */
    atomic_llong deadline_ns;     /* CLOCK_MONOTONIC, same clock as System.nanoTime(); 0 = none */
} jw_state;

/* What the callbacks of one whisper_full_with_state call need; lives on that call's stack. */
typedef struct {
    JNIEnv *env;
    jobject listener;             /* may be NULL */
    jw_state *st;
    jthrowable pending;           /* first exception a listener threw, rethrown after the call */
} jw_call;

/* ------------------------------------------------------------------------------------------ */

static void jw_throw(JNIEnv *env, jclass cls, const char *msg) {
    if (!(*env)->ExceptionCheck(env)) {
        (*env)->ThrowNew(env, cls, msg);
    }
}

/* A whisper.cpp failure: with the C++ exception's message when one was caught (err non-empty), else
 * pointing at the log, where whisper.cpp said why. */
static void jw_throw_failure(JNIEnv *env, const char *what, const char *err) {
    char msg[512];
    if (err != NULL && err[0] != '\0') {
        snprintf(msg, sizeof msg, "%s: %s", what, err);
    } else {
        snprintf(msg, sizeof msg, "%s (see the log for why)", what);
    }
    jw_throw(env, jw_cls_whisper_exc, msg);
}

static jclass jw_global_class(JNIEnv *env, const char *name) {
    jclass local = (*env)->FindClass(env, name);
    if (local == NULL) {
        return NULL;
    }
    jclass global = (jclass)(*env)->NewGlobalRef(env, local);
    (*env)->DeleteLocalRef(env, local);
    return global;
}

static jbyteArray jw_bytes(JNIEnv *env, const char *s) {
    if (s == NULL) {
        return NULL;
    }
    jsize n = (jsize)strlen(s);
    jbyteArray arr = (*env)->NewByteArray(env, n);
    if (arr != NULL && n > 0) {
        (*env)->SetByteArrayRegion(env, arr, 0, n, (const jbyte *)s);
    }
    return arr;
}

/* A NUL-terminated copy of a Java byte[] (UTF-8 text from Java); NULL in, NULL out. */
static char *jw_cstr(JNIEnv *env, jbyteArray arr, bool *failed) {
    *failed = false;
    if (arr == NULL) {
        return NULL;
    }
    jsize n = (*env)->GetArrayLength(env, arr);
    char *s = malloc((size_t)n + 1);
    if (s == NULL) {
        *failed = true;
        jw_throw(env, jw_cls_oom, "whisper-jni: out of native memory");
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, arr, 0, n, (jbyte *)s);
    s[n] = '\0';
    return s;
}

static jw_state *jw_state_of(JNIEnv *env, jlong handle) {
    jw_state *st = (jw_state *)(intptr_t)handle;
    if (st == NULL || st->state == NULL) {
        jw_throw(env, jw_cls_illegal_state, "whisper state is not initialised");
        return NULL;
    }
    return st;
}

static struct whisper_context *jw_ctx_of(JNIEnv *env, jlong handle) {
    struct whisper_context *ctx = (struct whisper_context *)(intptr_t)handle;
    if (ctx == NULL) {
        jw_throw(env, jw_cls_illegal_state, "whisper context is not initialised");
    }
    return ctx;
}

static bool jw_segment_ok(JNIEnv *env, jw_state *st, jint seg) {
    int n = whisper_full_n_segments_from_state(st->state);
    if (seg < 0 || seg >= n) {
        char msg[96];
        snprintf(msg, sizeof msg, "segment index %d out of range [0, %d)", (int)seg, n);
        jw_throw(env, jw_cls_illegal_arg, msg);
        return false;
    }
    return true;
}

/* ---- logging: whisper.cpp and ggml -> WhisperJni.onLog -> SLF4J -------------------------- */

/*
 * whisper.cpp and ggml log in fragments (progress dots, GGML_LOG_LEVEL_CONT continuations). Lines are
 * assembled here, per thread, and go up whole: a ggml worker thread is attached to the JVM only for the
 * length of one upcall, so a line kept on the Java side would be lost between fragments. Lines below
 * the level Java asked for (setLogLevel: what SLF4J would print) are dropped here, without an upcall.
 */
#define JW_LINE_MAX 2048
static _Thread_local char jw_line[JW_LINE_MAX];
static _Thread_local size_t jw_line_len;
static _Thread_local int jw_line_level = GGML_LOG_LEVEL_INFO;
static atomic_int jw_log_min = GGML_LOG_LEVEL_DEBUG;

static void jw_log_upcall(int level, const char *text) {
    JNIEnv *env = NULL;
    bool attached = false;
    jint rc = (*jw_vm)->GetEnv(jw_vm, (void **)&env, JNI_VERSION_1_8);
    if (rc == JNI_EDETACHED) {
        /* ggml worker threads are not Java threads; attach just for this line */
        if ((*jw_vm)->AttachCurrentThreadAsDaemon(jw_vm, (void **)&env, NULL) != JNI_OK) {
            return;
        }
        attached = true;
    } else if (rc != JNI_OK) {
        return;
    }
    /* a line logged while the caller already has an exception pending is dropped, not fatal */
    if (!(*env)->ExceptionCheck(env)) {
        jbyteArray bytes = jw_bytes(env, text);
        if (bytes != NULL) {
            (*env)->CallStaticVoidMethod(env, jw_cls_jni, jw_mid_log, (jint)level, bytes);
            (*env)->DeleteLocalRef(env, bytes);
        }
        if ((*env)->ExceptionCheck(env)) {
            (*env)->ExceptionClear(env); /* logging must never fail the work it describes */
        }
    }
    if (attached) {
        (*jw_vm)->DetachCurrentThread(jw_vm);
    }
}

static void jw_log_flush(void) {
    if (jw_line_len > 0 && jw_line_level >= atomic_load_explicit(&jw_log_min, memory_order_relaxed)) {
        jw_line[jw_line_len] = '\0';
        jw_log_upcall(jw_line_level, jw_line);
    }
    jw_line_len = 0;
}

static void jw_log(enum ggml_log_level level, const char *text, void *user_data) {
    (void)user_data;
    if (jw_vm == NULL || text == NULL) {
        return;
    }
    if (level != GGML_LOG_LEVEL_CONT && level != GGML_LOG_LEVEL_NONE && jw_line_len == 0) {
        jw_line_level = (int)level;
    }
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        size_t space = JW_LINE_MAX - 1 - jw_line_len;
        size_t take = n < space ? n : space;
        memcpy(jw_line + jw_line_len, p, take);
        jw_line_len += take;
        p += take;
        if (take < n) {
            jw_log_flush(); /* longer than a line buffer: what fits goes up, the rest follows */
            continue;
        }
        if (*p == '\n') {
            jw_log_flush();
            p++;
        }
    }
}

static void jw_ggml_abort(const char *message) {
    char line[2100];
    snprintf(line, sizeof line, "native code aborts the process: %s", message != NULL ? message : "(no message)");
    size_t n = strlen(line);
    while (n > 0 && line[n - 1] == '\n') {
        line[--n] = '\0'; /* a whole line without its newline, as every other upcall */
    }
    if (jw_vm != NULL) {
        jw_log_upcall(GGML_LOG_LEVEL_ERROR, line);
    }
    fprintf(stderr, "%s\n", line); /* in case logging itself is what failed */
}

/* ---- JNI_OnLoad: cache classes and IDs once ----------------------------------------------- */

JW_EXPORT jint JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void)reserved;
    JNIEnv *env;
    if ((*vm)->GetEnv(vm, (void **)&env, JNI_VERSION_1_8) != JNI_OK) {
        return JNI_ERR;
    }

    jw_cls_jni = jw_global_class(env, "io/github/whisperjava/internal/WhisperJni");
    jw_cls_whisper_exc = jw_global_class(env, "io/github/whisperjava/WhisperException");
    jw_cls_illegal_state = jw_global_class(env, "java/lang/IllegalStateException");
    jw_cls_illegal_arg = jw_global_class(env, "java/lang/IllegalArgumentException");
    jw_cls_oom = jw_global_class(env, "java/lang/OutOfMemoryError");
    jclass listener = (*env)->FindClass(env, "io/github/whisperjava/internal/NativeListener");
    jclass fp = (*env)->FindClass(env, "io/github/whisperjava/internal/NativeFullParams");
    if (!jw_cls_jni || !jw_cls_whisper_exc || !jw_cls_illegal_state || !jw_cls_illegal_arg || !jw_cls_oom
        || !listener || !fp) {
        return JNI_ERR;
    }
    jw_mid_log = (*env)->GetStaticMethodID(env, jw_cls_jni, "onLog", "(I[B)V");
    jw_mid_progress = (*env)->GetMethodID(env, listener, "onProgress", "(I)V");
    jw_mid_segments = (*env)->GetMethodID(env, listener, "onNewSegments", "(I)V");
    jw_mid_stop = (*env)->GetMethodID(env, listener, "shouldStop", "()Z");
    if (!jw_mid_log || !jw_mid_progress || !jw_mid_segments || !jw_mid_stop) {
        return JNI_ERR;
    }
#define FP(field, name, sig)                                                                      \
    if ((jw_fp.field = (*env)->GetFieldID(env, fp, name, sig)) == NULL) return JNI_ERR;
    FP(strategy, "strategy", "I")
    FP(n_threads, "nThreads", "I")
    FP(n_max_text_ctx, "nMaxTextCtx", "I")
    FP(offset_ms, "offsetMs", "I")
    FP(duration_ms, "durationMs", "I")
    FP(translate, "translate", "Z")
    FP(no_context, "noContext", "Z")
    FP(no_timestamps, "noTimestamps", "Z")
    FP(single_segment, "singleSegment", "Z")
    FP(token_timestamps, "tokenTimestamps", "Z")
    FP(thold_pt, "tholdPt", "F")
    FP(max_len, "maxLen", "I")
    FP(split_on_word, "splitOnWord", "Z")
    FP(max_tokens, "maxTokens", "I")
    FP(audio_ctx, "audioCtx", "I")
    FP(language, "language", "[B")
    FP(prompt_tokens, "promptTokens", "[I")
    FP(suppress_blank, "suppressBlank", "Z")
    FP(suppress_nst, "suppressNst", "Z")
    FP(temperature, "temperature", "F")
    FP(temperature_inc, "temperatureInc", "F")
    FP(entropy_thold, "entropyThold", "F")
    FP(logprob_thold, "logprobThold", "F")
    FP(no_speech_thold, "noSpeechThold", "F")
    FP(best_of, "bestOf", "I")
    FP(beam_size, "beamSize", "I")
#undef FP
    (*env)->DeleteLocalRef(env, listener);
    (*env)->DeleteLocalRef(env, fp);

    jw_vm = vm;
    whisper_log_set(jw_log, NULL);
    /* A failed GGML_ASSERT still aborts the process, but says why through SLF4J first, and does not try
     * to attach gdb to the JVM (what ggml does without a callback). Not setenv("GGML_NO_BACKTRACE"):
     * setenv races with any other thread of the JVM reading the environment. */
    ggml_set_abort_callback(jw_ggml_abort);
    jw_guard_install_terminate(jw_ggml_abort);
    return JNI_VERSION_1_8;
}

JW_EXPORT void JNI_OnUnload(JavaVM *vm, void *reserved) {
    (void)vm;
    (void)reserved;
    whisper_log_set(NULL, NULL);
    ggml_set_abort_callback(NULL);
    jw_vm = NULL;
}

#define JNI_FN(ret, name) JW_EXPORT ret JNICALL Java_io_github_whisperjava_internal_WhisperJni_##name

/* ---- process-wide ------------------------------------------------------------------------- */

JNI_FN(void, setLogLevel)(JNIEnv *env, jclass cls, jint min_level) {
    (void)env;
    (void)cls;
    atomic_store_explicit(&jw_log_min, (int)min_level, memory_order_relaxed);
}

JNI_FN(jint, loadBackends)(JNIEnv *env, jclass cls, jbyteArray dir) {
    (void)cls;
    bool failed;
    char *path = jw_cstr(env, dir, &failed);
    if (failed) {
        return -1;
    }
    char err[256];
    int rc = jw_guard_load_backends(path, err, sizeof err);
    free(path);
    if (rc == JW_GUARD_THREW) {
        jw_throw_failure(env, "ggml could not load its backends", err);
        return -1;
    }
    return (jint)ggml_backend_dev_count();
}

JNI_FN(jbyteArray, backendDeviceDescription)(JNIEnv *env, jclass cls, jint i) {
    (void)cls;
    if (i < 0 || (size_t)i >= ggml_backend_dev_count()) {
        jw_throw(env, jw_cls_illegal_arg, "backend device index out of range");
        return NULL;
    }
    ggml_backend_dev_t dev = ggml_backend_dev_get((size_t)i);
    char buf[512];
    snprintf(buf, sizeof buf, "%s (%s)", ggml_backend_dev_name(dev), ggml_backend_dev_description(dev));
    return jw_bytes(env, buf);
}

/* whisper_print_system_info returns a static buffer: the Java side serialises callers. */
JNI_FN(jbyteArray, systemInfo)(JNIEnv *env, jclass cls) {
    (void)cls;
    char err[256];
    const char *info = jw_guard_system_info(err, sizeof err);
    if (info == NULL) {
        jw_throw_failure(env, "whisper.cpp could not describe the system", err);
        return NULL;
    }
    return jw_bytes(env, info);
}

JNI_FN(jbyteArray, version)(JNIEnv *env, jclass cls) {
    (void)cls;
    return jw_bytes(env, whisper_version());
}

JNI_FN(jint, langId)(JNIEnv *env, jclass cls, jbyteArray code) {
    (void)cls;
    bool failed;
    char *s = jw_cstr(env, code, &failed);
    if (s == NULL) {
        return -1;
    }
    char err[256];
    int id = jw_guard_lang_id(s, err, sizeof err);
    free(s);
    if (id == JW_GUARD_THREW) {
        jw_throw_failure(env, "whisper.cpp could not look the language up", err);
        return -1;
    }
    return id;
}

JNI_FN(jbyteArray, langStr)(JNIEnv *env, jclass cls, jint id) {
    (void)cls;
    if (id < 0 || id > whisper_lang_max_id()) {
        return NULL;
    }
    return jw_bytes(env, whisper_lang_str(id));
}

/* The language's English name as whisper.cpp spells it ("english", "german"), or NULL for an unknown id. */
JNI_FN(jbyteArray, langStrFull)(JNIEnv *env, jclass cls, jint id) {
    (void)cls;
    if (id < 0 || id > whisper_lang_max_id()) {
        return NULL;
    }
    return jw_bytes(env, whisper_lang_str_full(id));
}

/* ---- context ------------------------------------------------------------------------------- */

/*
 * whisper.cpp's model reader over the file as Java checked it (GgmlModelHeader.Checked): every byte
 * whisper.cpp interprets (hyper-parameters, mel filters, vocabulary, tensor records) comes from Java's
 * checked copy, and only tensor data, which it copies into its buffers as they are, comes from the file.
 * whisper_init_from_file opened the file again and trusted what it read then: a file rewritten after
 * Java's check gave it hyper-parameters nobody checked, and the JVM crashed at the first state. Opening
 * one file for both would not do: a file rewritten in place is still that file.
 */
typedef struct {
    const uint8_t *checked;       /* the file without its tensor data */
    size_t checked_len;
    const jlong *pieces;          /* per tensor: {offset in checked its data goes before, file offset, length} */
    size_t n_pieces;
    int fd;
    size_t at;                    /* next byte of checked */
    size_t piece;                 /* the tensor whose data comes next (or is being read) */
    uint64_t piece_read;          /* of its data, bytes already read; in_data while under way */
    bool in_data;
    bool eof;
    bool short_read;              /* the file ended or failed inside tensor data */
} jw_model_reader;

static size_t jw_reader_read(void *ctx, void *output, size_t size) {
    jw_model_reader *r = ctx;
    uint8_t *out = output;
    size_t left = size;
    while (left > 0 && !r->eof) {
        if (r->in_data) {
            const jlong *p = r->pieces + 3 * r->piece;
            uint64_t rest = (uint64_t)p[2] - r->piece_read;
            size_t n = rest < left ? (size_t)rest : left;
            ssize_t got = pread(r->fd, out, n, (off_t)((uint64_t)p[1] + r->piece_read));
            if (got < 0 && errno == EINTR) {
                continue;
            }
            if (got <= 0) {
                r->short_read = true;
                r->eof = true;
                break;
            }
            out += got;
            left -= (size_t)got;
            r->piece_read += (uint64_t)got;
            if (r->piece_read == (uint64_t)p[2]) {
                r->in_data = false;
                r->piece++;
            }
            continue;
        }
        size_t end = r->piece < r->n_pieces ? (size_t)r->pieces[3 * r->piece] : r->checked_len;
        if (r->at == end) {
            if (r->piece == r->n_pieces) {
                r->eof = true;
                break;
            }
            r->in_data = true;
            r->piece_read = 0;
            continue;
        }
        size_t n = end - r->at < left ? end - r->at : left;
        memcpy(out, r->checked + r->at, n);
        r->at += n;
        out += n;
        left -= n;
    }
    /* past the end (or a failed read): zeros, never what the destination held */
    memset(out, 0, left);
    return size - left;
}

static bool jw_reader_eof(void *ctx) {
    return ((jw_model_reader *)ctx)->eof;
}

static void jw_reader_close(void *ctx) {
    (void)ctx; /* the caller closes the file and releases the arrays */
}

/* pieces as GgmlModelHeader made them: ascending offsets into checked, non-negative file ranges */
static bool jw_pieces_valid(const jlong *p, size_t n, size_t checked_len) {
    jlong prev = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[3 * i] < prev || (uint64_t)p[3 * i] > checked_len || p[3 * i + 1] < 0 || p[3 * i + 2] <= 0) {
            return false;
        }
        prev = p[3 * i];
    }
    return true;
}

/* A model file's path for whisper.cpp's loaders (freed by the caller), or NULL with an exception pending:
 * no backend loaded (the loaders would GGML_ASSERT(device) and abort the JVM), a null path, no memory. */
static char *jw_model_path(JNIEnv *env, jbyteArray path) {
    if (ggml_backend_dev_count() == 0) {
        jw_throw(env, jw_cls_illegal_state, "no ggml backend is loaded; the native loader did not run");
        return NULL;
    }
    bool failed;
    char *p = jw_cstr(env, path, &failed);
    if (p == NULL && !failed) {
        jw_throw(env, jw_cls_illegal_arg, "model path is null");
    }
    return p;
}

/* checked, tensor_data: the model file as Java checked it (jw_model_reader); dtw_preset: a
 * whisper_alignment_heads_preset for DTW token timestamps, or WHISPER_AHEADS_NONE for none */
JNI_FN(jlong, initContext)(JNIEnv *env, jclass cls, jbyteArray path, jbyteArray checked, jlongArray tensor_data,
                          jboolean use_gpu, jboolean flash_attn, jint gpu_device, jint dtw_preset) {
    (void)cls;
    if (dtw_preset < WHISPER_AHEADS_NONE || dtw_preset > WHISPER_AHEADS_LARGE_V3_TURBO
        || dtw_preset == WHISPER_AHEADS_N_TOP_MOST || dtw_preset == WHISPER_AHEADS_CUSTOM) {
        jw_throw(env, jw_cls_illegal_arg, "unknown DTW alignment heads preset");
        return 0;
    }
    if (checked == NULL || tensor_data == NULL || (*env)->GetArrayLength(env, tensor_data) % 3 != 0) {
        jw_throw(env, jw_cls_illegal_arg, "no checked model bytes, or tensor data not in threes");
        return 0;
    }
    struct whisper_context_params cp = whisper_context_default_params();
    cp.use_gpu = use_gpu;
    cp.flash_attn = flash_attn;
    cp.gpu_device = gpu_device;
    cp.dtw_token_timestamps = dtw_preset != WHISPER_AHEADS_NONE;
    cp.dtw_aheads_preset = (enum whisper_alignment_heads_preset)dtw_preset;
    char *p = jw_model_path(env, path);
    if (p == NULL) {
        return 0;
    }
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    free(p);
    if (fd < 0) {
        char msg[256];
        snprintf(msg, sizeof msg, "cannot open the model file: %s", strerror(errno));
        jw_throw(env, jw_cls_whisper_exc, msg);
        return 0;
    }
    jw_model_reader r = {.checked_len = (size_t)(*env)->GetArrayLength(env, checked),
                         .n_pieces = (size_t)(*env)->GetArrayLength(env, tensor_data) / 3,
                         .fd = fd};
    jbyte *bytes = (*env)->GetByteArrayElements(env, checked, NULL);
    jlong *pieces = bytes != NULL ? (*env)->GetLongArrayElements(env, tensor_data, NULL) : NULL;
    struct whisper_context *ctx = NULL;
    if (pieces != NULL) { /* else OutOfMemoryError is pending */
        r.checked = (const uint8_t *)bytes;
        r.pieces = pieces;
        if (!jw_pieces_valid(pieces, r.n_pieces, r.checked_len)) {
            jw_throw(env, jw_cls_illegal_arg, "tensor data places out of order or outside the checked bytes");
        } else {
            struct whisper_model_loader loader = {
                .context = &r, .read = jw_reader_read, .eof = jw_reader_eof, .close = jw_reader_close};
            char err[256];
            ctx = jw_guard_init_context(&loader, cp, err, sizeof err);
            if (ctx == NULL) {
                jw_throw_failure(env, "whisper.cpp could not load the model", err);
            } else if (r.short_read) {
                /* tensor data ran past the file's end: it shrank after the check */
                whisper_free(ctx);
                ctx = NULL;
                jw_throw(env, jw_cls_whisper_exc, "the model file ended inside its tensor data");
            }
        }
        (*env)->ReleaseLongArrayElements(env, tensor_data, pieces, JNI_ABORT);
    }
    if (bytes != NULL) {
        (*env)->ReleaseByteArrayElements(env, checked, bytes, JNI_ABORT);
    }
    close(fd);
    return (jlong)(intptr_t)ctx;
}

JNI_FN(void, freeContext)(JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    whisper_free((struct whisper_context *)(intptr_t)handle);
}

JNI_FN(jbyteArray, modelTypeReadable)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    struct whisper_context *ctx = jw_ctx_of(env, handle);
    return ctx ? jw_bytes(env, whisper_model_type_readable(ctx)) : NULL;
}

/* n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state,
 * n_text_head, n_text_layer, n_mels, ftype, type, multilingual, token_eot: the order of WhisperJni.ModelField */
JNI_FN(jintArray, modelInfo)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    struct whisper_context *ctx = jw_ctx_of(env, handle);
    if (ctx == NULL) {
        return NULL;
    }
    jint v[14] = {
        whisper_model_n_vocab(ctx),     whisper_model_n_audio_ctx(ctx), whisper_model_n_audio_state(ctx),
        whisper_model_n_audio_head(ctx), whisper_model_n_audio_layer(ctx), whisper_model_n_text_ctx(ctx),
        whisper_model_n_text_state(ctx), whisper_model_n_text_head(ctx), whisper_model_n_text_layer(ctx),
        whisper_model_n_mels(ctx),      whisper_model_ftype(ctx),       whisper_model_type(ctx),
        whisper_is_multilingual(ctx),   whisper_token_eot(ctx),
    };
    jintArray arr = (*env)->NewIntArray(env, 14);
    if (arr != NULL) {
        (*env)->SetIntArrayRegion(env, arr, 0, 14, v);
    }
    return arr;
}

/* whisper_tokenize into a new int[]. Its std::regex recurses once per character of a run without
 * spaces: callers run it on a thread with a large stack (Java tokenizes prompts itself). */
JNI_FN(jintArray, tokenize)(JNIEnv *env, jclass cls, jlong handle, jbyteArray text) {
    (void)cls;
    struct whisper_context *ctx = jw_ctx_of(env, handle);
    bool failed;
    char *s = ctx ? jw_cstr(env, text, &failed) : NULL;
    if (s == NULL) {
        if (ctx != NULL && !failed) {
            jw_throw(env, jw_cls_illegal_arg, "text is null");
        }
        return NULL;
    }
    /* every token covers at least one byte: as many slots as bytes always suffice */
    size_t len = strlen(s);
    whisper_token *tokens = malloc(sizeof *tokens * (len > 0 ? len : 1));
    if (tokens == NULL || len > INT32_MAX) {
        free(s);
        free(tokens);
        jw_throw(env, jw_cls_oom, "whisper-jni: out of native memory");
        return NULL;
    }
    char err[256];
    int n = len > 0 ? jw_guard_tokenize(ctx, s, tokens, (int)len, err, sizeof err) : 0;
    if (n == JW_GUARD_THREW) {
        free(s);
        free(tokens);
        jw_throw_failure(env, "whisper.cpp failed to tokenize", err);
        return NULL;
    }
    if (n < 0) {
        n = 0;
    }
    free(s);
    jintArray arr = (*env)->NewIntArray(env, n);
    if (arr != NULL && n > 0) {
        (*env)->SetIntArrayRegion(env, arr, 0, n, (const jint *)tokens);
    }
    free(tokens);
    return arr;
}

JNI_FN(jbyteArray, tokenText)(JNIEnv *env, jclass cls, jlong handle, jint token) {
    (void)cls;
    struct whisper_context *ctx = jw_ctx_of(env, handle);
    if (ctx == NULL) {
        return NULL;
    }
    if (token < 0 || token >= whisper_n_vocab(ctx)) {
        jw_throw(env, jw_cls_illegal_arg, "token id out of range");
        return NULL;
    }
    return jw_bytes(env, whisper_token_to_str(ctx, token));
}

/* ---- state ---------------------------------------------------------------------------------- */

JNI_FN(jlong, initState)(JNIEnv *env, jclass cls, jlong ctx_handle) {
    (void)cls;
    struct whisper_context *ctx = jw_ctx_of(env, ctx_handle);
    if (ctx == NULL) {
        return 0;
    }
    jw_state *st = calloc(1, sizeof *st);
    if (st == NULL) {
        jw_throw(env, jw_cls_oom, "whisper-jni: out of native memory");
        return 0;
    }
    char err[256];
    st->state = jw_guard_init_state(ctx, err, sizeof err);
    if (st->state == NULL) {
        free(st);
        jw_throw_failure(env, "whisper.cpp could not allocate a state", err);
        return 0;
    }
    return (jlong)(intptr_t)st;
}

JNI_FN(void, freeState)(JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    jw_state *st = (jw_state *)(intptr_t)handle;
    if (st != NULL) {
        whisper_free_state(st->state);
        free(st);
#ifdef __GLIBC__
        /* A state's buffers are tens to hundreds of MB. Once one large block has been freed, glibc raises
         * its mmap threshold, so later ones come from the heap and stay resident after free: a service
         * whose burst is over would keep the burst's memory. Hand the free pages back now. */
        malloc_trim(0);
#endif
    }
}

JNI_FN(void, setAbort)(JNIEnv *env, jclass cls, jlong handle, jboolean abort) {
    (void)env;
    (void)cls;
    jw_state *st = (jw_state *)(intptr_t)handle;
    if (st != NULL) {
        atomic_store(&st->abort, abort ? 1 : 0);
    }
}

/* ---- transcription ------------------------------------------------------------------------- */

static bool jw_should_abort(jw_state *st) {
    if (atomic_load_explicit(&st->abort, memory_order_relaxed)) {
        return true;
    }
    long long deadline = atomic_load_explicit(&st->deadline_ns, memory_order_relaxed);
    if (deadline != 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        long long now = (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
        if (now - deadline >= 0) {
            atomic_store(&st->abort, 1);
            return true;
        }
    }
    return false;
}

/* ggml calls this between graph nodes, possibly often: no JNI here, only atomics and a clock. */
static bool jw_abort_cb(void *user_data) {
    return jw_should_abort(((jw_call *)user_data)->st);
}

/* After an upcall: keep the first exception, stop the transcription, leave nothing pending. */
static void jw_after_upcall(jw_call *call) {
    JNIEnv *env = call->env;
    if ((*env)->ExceptionCheck(env)) {
        jthrowable t = (*env)->ExceptionOccurred(env);
        (*env)->ExceptionClear(env);
        if (call->pending == NULL) {
            call->pending = t;
        } else {
            (*env)->DeleteLocalRef(env, t);
        }
        atomic_store(&call->st->abort, 1);
    }
}

/* Once per encoder window and progress step: lets Java stop the call (a thread interrupt). */
static void jw_poll_stop(jw_call *call) {
    if (call->listener == NULL || call->pending != NULL) {
        return;
    }
    jboolean stop = (*call->env)->CallBooleanMethod(call->env, call->listener, jw_mid_stop);
    jw_after_upcall(call);
    if (stop) {
        atomic_store(&call->st->abort, 1);
    }
}

static bool jw_encoder_begin_cb(struct whisper_context *ctx, struct whisper_state *state, void *user_data) {
    (void)ctx;
    (void)state;
    jw_call *call = user_data;
    jw_poll_stop(call);
    return !jw_should_abort(call->st);
}

static void jw_progress_cb(struct whisper_context *ctx, struct whisper_state *state, int progress, void *user_data) {
    (void)ctx;
    (void)state;
    jw_call *call = user_data;
    jw_poll_stop(call);
    if (call->listener == NULL || call->pending != NULL) {
        return;
    }
    (*call->env)->CallVoidMethod(call->env, call->listener, jw_mid_progress, (jint)progress);
    jw_after_upcall(call);
}

static void jw_new_segment_cb(struct whisper_context *ctx, struct whisper_state *state, int n_new, void *user_data) {
    (void)ctx;
    (void)state;
    jw_call *call = user_data;
    if (call->listener == NULL || call->pending != NULL) {
        return;
    }
    (*call->env)->CallVoidMethod(call->env, call->listener, jw_mid_segments, (jint)n_new);
    jw_after_upcall(call);
}

#define GET_I(obj, f) (*env)->GetIntField(env, obj, jw_fp.f)
#define GET_Z(obj, f) ((*env)->GetBooleanField(env, obj, jw_fp.f) == JNI_TRUE)
#define GET_F(obj, f) (*env)->GetFloatField(env, obj, jw_fp.f)

/*
 * Runs whisper_full_with_state on the samples of a float[] (samples) or of a direct buffer (direct,
 * read in place). Returns whisper.cpp's result code (0 = success; Java maps the rest, abort included,
 * to exceptions); rethrows the first exception a listener threw.
 */
/* ---- samples: a float[] or a direct FloatBuffer (exactly one of them non-NULL) ----------------- */

/* Whether n_samples floats are there to read; false with IllegalArgumentException pending if not. */
static bool jw_samples_fit(JNIEnv *env, jfloatArray samples, jobject direct, jint n_samples) {
    if (direct != NULL) {
        const void *address = (*env)->GetDirectBufferAddress(env, direct);
        jlong capacity = (*env)->GetDirectBufferCapacity(env, direct); /* in floats for a FloatBuffer */
        if (address == NULL || capacity < 0) {
            jw_throw(env, jw_cls_illegal_arg, "samples must be a direct buffer");
            return false;
        }
        if (n_samples < 0 || n_samples > capacity) {
            jw_throw(env, jw_cls_illegal_arg, "sample count out of range");
            return false;
        }
    } else if (n_samples < 0 || n_samples > (*env)->GetArrayLength(env, samples)) {
        jw_throw(env, jw_cls_illegal_arg, "sample count out of range");
        return false;
    }
    return true;
}

/* The samples to read: a direct buffer in place; a float[] copied, not pinned in a critical region, since
 * whisper.cpp computes for seconds and calls back into Java meanwhile. NULL with OutOfMemoryError pending. */
static const float *jw_samples_get(JNIEnv *env, jfloatArray samples, jobject direct) {
    return direct != NULL ? (*env)->GetDirectBufferAddress(env, direct)
                          : (*env)->GetFloatArrayElements(env, samples, NULL);
}

static void jw_samples_release(JNIEnv *env, jfloatArray samples, jobject direct, const float *pcm) {
    if (direct == NULL) {
        (*env)->ReleaseFloatArrayElements(env, samples, (jfloat *)pcm, JNI_ABORT);
    }
}

static jint jw_full(JNIEnv *env, jlong ctx_handle, jlong state_handle, jfloatArray samples, jobject direct,
                    jint n_samples, jobject params, jobject listener, jlong deadline_ns) {
    struct whisper_context *ctx = jw_ctx_of(env, ctx_handle);
    jw_state *st = ctx ? jw_state_of(env, state_handle) : NULL;
    if (st == NULL) {
        return -1;
    }
    if ((samples == NULL && direct == NULL) || params == NULL) {
        jw_throw(env, jw_cls_illegal_arg, "samples and params must not be null");
        return -1;
    }
    if (!jw_samples_fit(env, samples, direct, n_samples)) {
        return -1;
    }

    int strategy = GET_I(params, strategy);
    struct whisper_full_params fp = whisper_full_default_params(
        strategy == 1 ? WHISPER_SAMPLING_BEAM_SEARCH : WHISPER_SAMPLING_GREEDY);
    fp.n_threads = GET_I(params, n_threads);
    fp.n_max_text_ctx = GET_I(params, n_max_text_ctx);
    fp.offset_ms = GET_I(params, offset_ms);
    fp.duration_ms = GET_I(params, duration_ms);
    fp.translate = GET_Z(params, translate);
    fp.no_context = GET_Z(params, no_context);
    fp.no_timestamps = GET_Z(params, no_timestamps);
    fp.single_segment = GET_Z(params, single_segment);
    fp.token_timestamps = GET_Z(params, token_timestamps);
    fp.thold_pt = GET_F(params, thold_pt);
    fp.max_len = GET_I(params, max_len);
    fp.split_on_word = GET_Z(params, split_on_word);
    fp.max_tokens = GET_I(params, max_tokens);
    fp.audio_ctx = GET_I(params, audio_ctx);
    fp.suppress_blank = GET_Z(params, suppress_blank);
    fp.suppress_nst = GET_Z(params, suppress_nst);
    fp.temperature = GET_F(params, temperature);
    fp.temperature_inc = GET_F(params, temperature_inc);
    fp.entropy_thold = GET_F(params, entropy_thold);
    fp.logprob_thold = GET_F(params, logprob_thold);
    fp.no_speech_thold = GET_F(params, no_speech_thold);
    fp.greedy.best_of = GET_I(params, best_of);
    fp.beam_search.beam_size = GET_I(params, beam_size);
    fp.print_progress = false;
    fp.print_realtime = false;
    fp.print_timestamps = false;
    fp.print_special = false;

    bool failed;
    jbyteArray lang_arr = (jbyteArray)(*env)->GetObjectField(env, params, jw_fp.language);
    char *language = jw_cstr(env, lang_arr, &failed);
    (*env)->DeleteLocalRef(env, lang_arr);
    if (failed) {
        return -1;
    }
    /* whisper.cpp keeps its pointer until the call returns: a native copy, freed below */
    jintArray prompt_arr = (jintArray)(*env)->GetObjectField(env, params, jw_fp.prompt_tokens);
    jsize n_prompt = prompt_arr == NULL ? 0 : (*env)->GetArrayLength(env, prompt_arr);
    whisper_token *prompt = NULL;
    if (n_prompt > 0) {
        prompt = malloc(sizeof *prompt * (size_t)n_prompt);
        if (prompt == NULL) {
            (*env)->DeleteLocalRef(env, prompt_arr);
            free(language);
            jw_throw(env, jw_cls_oom, "whisper-jni: out of native memory");
            return -1;
        }
        (*env)->GetIntArrayRegion(env, prompt_arr, 0, n_prompt, (jint *)prompt);
        int n_vocab = whisper_n_vocab(ctx);
        for (jsize i = 0; i < n_prompt; i++) {
            if (prompt[i] < 0 || prompt[i] >= n_vocab) {
                (*env)->DeleteLocalRef(env, prompt_arr);
                free(language);
                free(prompt);
                jw_throw(env, jw_cls_illegal_arg, "prompt token id out of range");
                return -1;
            }
        }
    }
    (*env)->DeleteLocalRef(env, prompt_arr);
    fp.language = language; /* NULL = detect */
    fp.prompt_tokens = prompt;
    fp.prompt_n_tokens = (int)n_prompt;

    jw_call call = {.env = env, .listener = listener, .st = st, .pending = NULL};
    fp.abort_callback = jw_abort_cb;
    fp.abort_callback_user_data = &call;
    fp.encoder_begin_callback = jw_encoder_begin_cb;
    fp.encoder_begin_callback_user_data = &call;
    fp.progress_callback = jw_progress_cb;
    fp.progress_callback_user_data = &call;
    fp.new_segment_callback = jw_new_segment_cb;
    fp.new_segment_callback_user_data = &call;
    atomic_store(&st->deadline_ns, (long long)deadline_ns);

    const float *pcm = jw_samples_get(env, samples, direct);
    if (pcm == NULL) {
        free(language);
        free(prompt);
        return -1; /* OutOfMemoryError pending */
    }
    char err[256];
    int rc = jw_guard_full(ctx, st->state, fp, pcm, n_samples, err, sizeof err);
    jw_samples_release(env, samples, direct, pcm);
    atomic_store(&st->deadline_ns, 0);
    free(language);
    free(prompt);

    if (call.pending != NULL) {
        (*env)->Throw(env, call.pending);
        (*env)->DeleteLocalRef(env, call.pending);
    } else if (rc == JW_GUARD_THREW) {
        jw_throw_failure(env, "whisper.cpp failed inside the transcription", err);
    }
    return rc;
}

JNI_FN(jint, full)(JNIEnv *env, jclass cls, jlong ctx_handle, jlong state_handle, jfloatArray samples,
                  jint n_samples, jobject params, jobject listener, jlong deadline_ns) {
    (void)cls;
    return jw_full(env, ctx_handle, state_handle, samples, NULL, n_samples, params, listener, deadline_ns);
}

JNI_FN(jint, fullDirect)(JNIEnv *env, jclass cls, jlong ctx_handle, jlong state_handle, jobject samples,
                        jint n_samples, jobject params, jobject listener, jlong deadline_ns) {
    (void)cls;
    if (samples == NULL) {
        jw_throw(env, jw_cls_illegal_arg, "samples must not be null");
        return -1;
    }
    return jw_full(env, ctx_handle, state_handle, NULL, samples, n_samples, params, listener, deadline_ns);
}

/* ---- voice activity detection ------------------------------------------------------------------
 * whisper_full_with_state ignores params.vad (only whisper_full runs it, on the context's own state), so
 * the caller runs it: these give the speech segments; Java cuts the audio and maps times back. */

JNI_FN(jlong, vadInit)(JNIEnv *env, jclass cls, jbyteArray path, jint n_threads) {
    (void)cls;
    char *p = jw_model_path(env, path);
    if (p == NULL) {
        return 0;
    }
    struct whisper_vad_context_params vp = whisper_vad_default_context_params();
    vp.n_threads = n_threads > 0 ? n_threads : 1;
    vp.use_gpu = false; /* a few MB of LSTM: not worth a device, and the CPU is always there */
    char err[256];
    struct whisper_vad_context *vctx = jw_guard_vad_init(p, vp, err, sizeof err);
    free(p);
    if (vctx == NULL) {
        jw_throw_failure(env, "whisper.cpp could not load the VAD model", err);
        return 0;
    }
    return (jlong)(intptr_t)vctx;
}

JNI_FN(void, vadFree)(JNIEnv *env, jclass cls, jlong handle) {
    (void)env;
    (void)cls;
    whisper_vad_free((struct whisper_vad_context *)(intptr_t)handle);
}

/* params: threshold, min speech ms, min silence ms, max speech s, speech pad ms, samples overlap s.
 * Returns {t0, t1, t0, t1, ...} in centiseconds. */
JNI_FN(jfloatArray, vadSegments)(JNIEnv *env, jclass cls, jlong handle, jfloatArray samples, jobject direct,
                                 jint n_samples, jfloatArray params) {
    (void)cls;
    struct whisper_vad_context *vctx = (struct whisper_vad_context *)(intptr_t)handle;
    if (vctx == NULL) {
        jw_throw(env, jw_cls_illegal_state, "VAD context is not initialised");
        return NULL;
    }
    if ((samples == NULL) == (direct == NULL) || params == NULL || (*env)->GetArrayLength(env, params) != 6) {
        jw_throw(env, jw_cls_illegal_arg, "one of samples or direct, and 6 params");
        return NULL;
    }
    jfloat pv[6];
    (*env)->GetFloatArrayRegion(env, params, 0, 6, pv);
    struct whisper_vad_params vp = whisper_vad_default_params();
    vp.threshold = pv[0];
    vp.min_speech_duration_ms = (int)pv[1];
    vp.min_silence_duration_ms = (int)pv[2];
    vp.max_speech_duration_s = pv[3];
    vp.speech_pad_ms = (int)pv[4];
    vp.samples_overlap = pv[5];

    if (!jw_samples_fit(env, samples, direct, n_samples)) {
        return NULL;
    }
    const float *in = jw_samples_get(env, samples, direct);
    if (in == NULL) {
        return NULL; /* OutOfMemoryError pending */
    }
    char err[256];
    struct whisper_vad_segments *segs = jw_guard_vad_segments(vctx, vp, in, n_samples, err, sizeof err);
    jw_samples_release(env, samples, direct, in);
    if (segs == NULL) {
        jw_throw_failure(env, "whisper.cpp could not run voice activity detection", err);
        return NULL;
    }
    int n = whisper_vad_segments_n_segments(segs);
    jfloatArray out = (*env)->NewFloatArray(env, 2 * n);
    if (out != NULL) {
        for (int i = 0; i < n; i++) {
            jfloat t[2] = {whisper_vad_segments_get_segment_t0(segs, i), whisper_vad_segments_get_segment_t1(segs, i)};
            (*env)->SetFloatArrayRegion(env, out, 2 * i, 2, t);
        }
    }
    whisper_vad_free_segments(segs);
    return out;
}

/* Silero's speech probability for each 512-sample window of samples[0, n_samples) (n_samples a multiple
 * of the window), the LSTM state carried on from the last call on this context unless reset: a live
 * stream feeds its audio as it arrives and gets the probabilities one whole-stream call would give. */
JNI_FN(jfloatArray, vadProbs)(JNIEnv *env, jclass cls, jlong handle, jfloatArray samples, jint n_samples,
                              jboolean reset) {
    (void)cls;
    struct whisper_vad_context *vctx = (struct whisper_vad_context *)(intptr_t)handle;
    if (vctx == NULL) {
        jw_throw(env, jw_cls_illegal_state, "VAD context is not initialised");
        return NULL;
    }
    if (samples == NULL || n_samples <= 0 || n_samples > (*env)->GetArrayLength(env, samples)) {
        jw_throw(env, jw_cls_illegal_arg, "samples must hold n_samples > 0");
        return NULL;
    }
    int max_probs = n_samples / 256 + 1; /* whisper.cpp's window is 512; room to spare, never overrun */
    float *probs = malloc(sizeof(float) * (size_t)max_probs);
    if (probs == NULL) {
        jw_throw(env, jw_cls_oom, "whisper-jni: out of native memory");
        return NULL;
    }
    jfloat *in = (*env)->GetFloatArrayElements(env, samples, NULL);
    if (in == NULL) {
        free(probs);
        return NULL;
    }
    char err[256];
    int n = jw_guard_vad_probs(vctx, reset ? 1 : 0, in, n_samples, probs, max_probs, err, sizeof err);
    (*env)->ReleaseFloatArrayElements(env, samples, in, JNI_ABORT);
    if (n < 0) {
        free(probs);
        jw_throw_failure(env, "whisper.cpp could not run voice activity detection", n == -1 ? "" : err);
        return NULL;
    }
    jfloatArray out = (*env)->NewFloatArray(env, n);
    if (out != NULL) {
        (*env)->SetFloatArrayRegion(env, out, 0, n, probs);
    }
    free(probs);
    return out;
}

/* ---- language detection ------------------------------------------------------------------------ */

/*
 * whisper's probability for each of its languages (index = language id) for the first 30 s of the
 * samples, computed in the state with an encoder window of audio_ctx positions (0: the full window).
 */
JNI_FN(jfloatArray, detectLanguage)(JNIEnv *env, jclass cls, jlong ctx_handle, jlong state_handle,
                                    jfloatArray samples, jint n_samples, jint n_threads, jint audio_ctx) {
    (void)cls;
    struct whisper_context *ctx = (struct whisper_context *)(intptr_t)ctx_handle;
    jw_state *st = jw_state_of(env, state_handle);
    if (st == NULL) {
        return NULL;
    }
    if (ctx == NULL) {
        jw_throw(env, jw_cls_illegal_state, "context is not initialised");
        return NULL;
    }
    if (n_threads < 1 || audio_ctx < 0 || audio_ctx > whisper_n_audio_ctx(ctx)) {
        jw_throw(env, jw_cls_illegal_arg, "threads must be >= 1 and audio_ctx within the model's window");
        return NULL;
    }
    if (samples == NULL) {
        jw_throw(env, jw_cls_illegal_arg, "samples must not be null");
        return NULL;
    }
    if (!jw_samples_fit(env, samples, NULL, n_samples)) {
        return NULL;
    }
    if (n_samples < 1) {
        jw_throw(env, jw_cls_illegal_arg, "no audio to detect a language in");
        return NULL;
    }
    int n_langs = whisper_lang_max_id() + 1;
    float *probs = calloc((size_t)n_langs, sizeof *probs);
    if (probs == NULL) {
        jw_throw(env, jw_cls_oom, "whisper-jni: out of native memory");
        return NULL;
    }
    const float *pcm = jw_samples_get(env, samples, NULL);
    if (pcm == NULL) {
        free(probs);
        return NULL; /* OutOfMemoryError pending */
    }
    char err[256];
    int id = jw_guard_detect_language(ctx, st->state, pcm, n_samples, n_threads, audio_ctx, probs, err, sizeof err);
    jw_samples_release(env, samples, NULL, pcm);
    jfloatArray out = NULL;
    if (id == JW_GUARD_THREW) {
        jw_throw_failure(env, "whisper.cpp failed while detecting the language", err);
    } else if (id < 0) {
        char msg[96];
        snprintf(msg, sizeof msg, "whisper.cpp could not detect the language (error %d)", id);
        jw_throw(env, jw_cls_whisper_exc, msg);
    } else {
        out = (*env)->NewFloatArray(env, n_langs);
        if (out != NULL) {
            (*env)->SetFloatArrayRegion(env, out, 0, n_langs, probs);
        }
    }
    free(probs);
    return out;
}

/* ---- results -------------------------------------------------------------------------------- */

JNI_FN(void, stateTimings)(JNIEnv *env, jclass cls, jlong handle, jlongArray out) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    if (st == NULL) {
        return;
    }
    if (out == NULL || (*env)->GetArrayLength(env, out) < 7) {
        jw_throw(env, jw_cls_illegal_arg, "need an array of 6 timings and a count");
        return;
    }
    int64_t t[6];
    whisper_state_timings_us(st->state, t); /* both from cpp/patches/whisper-state-timings.patch */
    jlong j[7];
    for (int i = 0; i < 6; i++) {
        j[i] = (jlong)t[i];
    }
    j[6] = (jlong)whisper_state_n_encode(st->state);
    (*env)->SetLongArrayRegion(env, out, 0, 7, j);
}

JNI_FN(jint, nSegments)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    return st ? whisper_full_n_segments_from_state(st->state) : 0;
}

JNI_FN(jint, langIdOfResult)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    return st ? whisper_full_lang_id_from_state(st->state) : -1;
}

JNI_FN(jbyteArray, segmentText)(JNIEnv *env, jclass cls, jlong handle, jint seg) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    if (st == NULL || !jw_segment_ok(env, st, seg)) {
        return NULL;
    }
    return jw_bytes(env, whisper_full_get_segment_text_from_state(st->state, seg));
}

/* t0, t1 (10 ms units), speaker_turn_next (0/1) */
JNI_FN(jboolean, segmentTimes)(JNIEnv *env, jclass cls, jlong handle, jint seg, jlongArray out) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    if (st == NULL || !jw_segment_ok(env, st, seg)) {
        return JNI_FALSE;
    }
    if (out == NULL || (*env)->GetArrayLength(env, out) < 3) {
        jw_throw(env, jw_cls_illegal_arg, "segmentTimes needs a long[3]");
        return JNI_FALSE;
    }
    jlong v[3] = {
        whisper_full_get_segment_t0_from_state(st->state, seg),
        whisper_full_get_segment_t1_from_state(st->state, seg),
        whisper_full_get_segment_speaker_turn_next_from_state(st->state, seg) ? 1 : 0,
    };
    (*env)->SetLongArrayRegion(env, out, 0, 3, v);
    return JNI_TRUE;
}

JNI_FN(jfloat, segmentNoSpeechProb)(JNIEnv *env, jclass cls, jlong handle, jint seg) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    if (st == NULL || !jw_segment_ok(env, st, seg)) {
        return 0.0f;
    }
    return whisper_full_get_segment_no_speech_prob_from_state(st->state, seg);
}

JNI_FN(jint, nTokens)(JNIEnv *env, jclass cls, jlong handle, jint seg) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    if (st == NULL || !jw_segment_ok(env, st, seg)) {
        return 0;
    }
    return whisper_full_n_tokens_from_state(st->state, seg);
}

/*
 * Fills ids[i], p[i], t0[i], t1[i], dtw[i] for the segment's tokens (arrays of at least nTokens);
 * t0/t1 are -1 unless token timestamps were asked for, dtw -1 unless the model was loaded with DTW.
 */
JNI_FN(void, segmentTokens)(JNIEnv *env, jclass cls, jlong handle, jint seg, jintArray ids, jfloatArray probs,
                           jlongArray t0s, jlongArray t1s, jlongArray dtws) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    if (st == NULL || !jw_segment_ok(env, st, seg)) {
        return;
    }
    int n = whisper_full_n_tokens_from_state(st->state, seg);
    if (ids == NULL || probs == NULL || t0s == NULL || t1s == NULL || dtws == NULL
        || (*env)->GetArrayLength(env, ids) < n || (*env)->GetArrayLength(env, probs) < n
        || (*env)->GetArrayLength(env, t0s) < n || (*env)->GetArrayLength(env, t1s) < n
        || (*env)->GetArrayLength(env, dtws) < n) {
        jw_throw(env, jw_cls_illegal_arg, "segmentTokens needs arrays of nTokens elements");
        return;
    }
    for (int i = 0; i < n; i++) {
        whisper_token_data d = whisper_full_get_token_data_from_state(st->state, seg, i);
        jint id = d.id;
        jfloat p = d.p;
        jlong t0 = d.t0;
        jlong t1 = d.t1;
        jlong dtw = d.t_dtw;
        (*env)->SetIntArrayRegion(env, ids, i, 1, &id);
        (*env)->SetFloatArrayRegion(env, probs, i, 1, &p);
        (*env)->SetLongArrayRegion(env, t0s, i, 1, &t0);
        (*env)->SetLongArrayRegion(env, t1s, i, 1, &t1);
        (*env)->SetLongArrayRegion(env, dtws, i, 1, &dtw);
    }
}

/* True when the last or current call on this state was asked to stop (cancel or deadline). */
JNI_FN(jboolean, isAborted)(JNIEnv *env, jclass cls, jlong handle) {
    (void)cls;
    jw_state *st = jw_state_of(env, handle);
    return st != NULL && atomic_load(&st->abort) ? JNI_TRUE : JNI_FALSE;
}
