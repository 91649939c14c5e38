/*
 * The C++ exception firewall between whisper_jni.c and whisper.cpp.
 *
 * whisper.cpp is C++ behind a C API, and only model loading catches what it throws: whisper_init_state
 * and whisper_full_with_state can throw std::bad_alloc (a std::vector of n_vocab * n_text_ctx logits,
 * say) or std::length_error. An exception that unwinds into the JNI shim's C frames ends in
 * std::terminate, which kills the JVM. Every call into whisper.cpp that can allocate goes through one of
 * these, which catch everything and hand the message back for the shim to throw as a Java exception.
 * So do the few that allocate without a context: loading the backends (std::filesystem throws
 * std::filesystem_error and std::bad_alloc), a language lookup (a std::string key) and the system
 * summary (a growing std::string).
 */
#include "whisper_guard.h"

#include "ggml-backend.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>

namespace {

void describe(char *err, size_t len, const char *what) {
    if (err != nullptr && len > 0) {
        std::snprintf(err, len, "%s", what != nullptr && what[0] != '\0' ? what : "unknown C++ exception");
    }
}

template <typename R, typename F>
R guarded(char *err, size_t len, R failed, F f) {
    if (err != nullptr && len > 0) {
        err[0] = '\0';
    }
    try {
        return f();
    } catch (const std::bad_alloc &) {
        describe(err, len, "out of memory (std::bad_alloc)");
    } catch (const std::exception &e) {
        describe(err, len, e.what());
    } catch (...) {
        describe(err, len, "unknown C++ exception");
    }
    return failed;
}

void (*g_report)(const char *) = nullptr;

/* Replaces ggml's handler, which forks gdb to attach to the process (here: the JVM) before aborting. */
[[noreturn]] void on_terminate() {
    char msg[512] = "uncaught C++ exception in whisper.cpp or ggml; the process aborts";
    if (std::exception_ptr e = std::current_exception()) {
        try {
            std::rethrow_exception(e);
        } catch (const std::exception &ex) {
            std::snprintf(msg, sizeof msg, "uncaught C++ exception in whisper.cpp or ggml (%s); the process aborts",
                          ex.what());
        } catch (...) {
        }
    }
    if (g_report != nullptr) {
        g_report(msg);
    }
    std::abort();
}

}  // namespace

extern "C" {

void jw_guard_install_terminate(void (*report)(const char *message)) {
    g_report = report;
    std::set_terminate(on_terminate);
}

struct whisper_context *jw_guard_init_context(struct whisper_model_loader *loader,
                                              struct whisper_context_params params, char *err, size_t err_len) {
    struct whisper_context *none = nullptr;
    return guarded(err, err_len, none, [&] { return whisper_init_with_params_no_state(loader, params); });
}

struct whisper_state *jw_guard_init_state(struct whisper_context *ctx, char *err, size_t err_len) {
    struct whisper_state *none = nullptr;
    return guarded(err, err_len, none, [&] { return whisper_init_state(ctx); });
}

int jw_guard_full(struct whisper_context *ctx, struct whisper_state *state, struct whisper_full_params params,
                  const float *samples, int n_samples, char *err, size_t err_len) {
    int threw = JW_GUARD_THREW;
    return guarded(err, err_len, threw, [&] { return whisper_full_with_state(ctx, state, params, samples, n_samples); });
}

struct whisper_vad_context *jw_guard_vad_init(const char *path, struct whisper_vad_context_params params, char *err,
                                              size_t err_len) {
    struct whisper_vad_context *none = nullptr;
    return guarded(err, err_len, none, [&] { return whisper_vad_init_from_file_with_params(path, params); });
}

struct whisper_vad_segments *jw_guard_vad_segments(struct whisper_vad_context *vctx, struct whisper_vad_params params,
                                                   const float *samples, int n_samples, char *err, size_t err_len) {
    struct whisper_vad_segments *none = nullptr;
    return guarded(err, err_len, none,
                   [&] { return whisper_vad_segments_from_samples(vctx, params, samples, n_samples); });
}

int jw_guard_vad_probs(struct whisper_vad_context *vctx, int reset, const float *samples, int n_samples, float *probs,
                       int max_probs, char *err, size_t err_len) {
    int threw = JW_GUARD_THREW;
    return guarded(err, err_len, threw, [&] {
        if (reset) {
            whisper_vad_reset_state(vctx);
        }
        if (!whisper_vad_detect_speech_no_reset(vctx, samples, n_samples)) {
            return -1;
        }
        int n = whisper_vad_n_probs(vctx);
        if (n > max_probs) {
            n = max_probs;
        }
        std::copy(whisper_vad_probs(vctx), whisper_vad_probs(vctx) + n, probs);
        return n;
    });
}

int jw_guard_tokenize(struct whisper_context *ctx, const char *text, whisper_token *tokens, int n_max, char *err,
                      size_t err_len) {
    int threw = JW_GUARD_THREW;
    return guarded(err, err_len, threw, [&] { return whisper_tokenize(ctx, text, tokens, n_max); });
}

int jw_guard_load_backends(const char *dir, char *err, size_t err_len) {
    int threw = JW_GUARD_THREW;
    return guarded(err, err_len, threw, [&] {
        ggml_backend_load_all_from_path(dir);
        return 0;
    });
}

int jw_guard_lang_id(const char *lang, char *err, size_t err_len) {
    int threw = JW_GUARD_THREW;
    return guarded(err, err_len, threw, [&] { return whisper_lang_id(lang); });
}

const char *jw_guard_system_info(char *err, size_t err_len) {
    const char *none = nullptr;
    return guarded(err, err_len, none, [&] { return whisper_print_system_info(); });
}

int jw_guard_detect_language(struct whisper_context *ctx, struct whisper_state *state, const float *samples,
                             int n_samples, int n_threads, int audio_ctx, float *probs, char *err, size_t err_len) {
    int threw = JW_GUARD_THREW;
    return guarded(err, err_len, threw, [&] {
        if (whisper_pcm_to_mel_with_state(ctx, state, samples, n_samples, n_threads) != 0) {
            return -10;
        }
        whisper_state_set_audio_ctx(state, audio_ctx); /* cpp/patches/whisper-state-audio-ctx.patch */
        return whisper_lang_auto_detect_with_state(ctx, state, 0, n_threads, probs);
    });
}

}  // extern "C"
