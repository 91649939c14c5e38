/*
 * whisper.cpp calls that may throw C++ exceptions, wrapped so that none escapes into C (see
 * whisper_guard.cpp). On an exception they return NULL or JW_GUARD_THREW and write its message to err;
 * otherwise err holds "".
 */
#ifndef WHISPER_JAVA_GUARD_H
#define WHISPER_JAVA_GUARD_H

#include <limits.h>
#include <stddef.h>

#include "whisper.h"

#define JW_GUARD_THREW INT_MIN

#ifdef __cplusplus
extern "C" {
#endif

struct whisper_context *jw_guard_init_context(struct whisper_model_loader *loader,
                                              struct whisper_context_params params, char *err, size_t err_len);
struct whisper_state *jw_guard_init_state(struct whisper_context *ctx, char *err, size_t err_len);
int jw_guard_full(struct whisper_context *ctx, struct whisper_state *state, struct whisper_full_params params,
                  const float *samples, int n_samples, char *err, size_t err_len);
/* Uncaught exceptions (on threads the guards do not cover) are reported, then abort: no gdb attach. */
void jw_guard_install_terminate(void (*report)(const char *message));
struct whisper_vad_context *jw_guard_vad_init(const char *path, struct whisper_vad_context_params params, char *err,
                                              size_t err_len);
/* Speech segments of samples (times in centiseconds, as whisper.cpp gives them); NULL on failure. */
struct whisper_vad_segments *jw_guard_vad_segments(struct whisper_vad_context *vctx, struct whisper_vad_params params,
                                                   const float *samples, int n_samples, char *err, size_t err_len);
/* Silero's speech probability for each window of samples, the LSTM state carried on from the previous
 * call (reset first when asked: a new stream); the count written to probs (at most max_probs), -1 when
 * whisper.cpp failed, or JW_GUARD_THREW. */
int jw_guard_vad_probs(struct whisper_vad_context *vctx, int reset, const float *samples, int n_samples, float *probs,
                       int max_probs, char *err, size_t err_len);
/* Log-mel of the samples into the state, then whisper's language probabilities (whisper_lang_max_id() + 1
 * floats) with the given encoder window; the id of the most likely language, or < 0 on failure. */
int jw_guard_detect_language(struct whisper_context *ctx, struct whisper_state *state, const float *samples,
                             int n_samples, int n_threads, int audio_ctx, float *probs, char *err, size_t err_len);
int jw_guard_tokenize(struct whisper_context *ctx, const char *text, whisper_token *tokens, int n_max, char *err,
                      size_t err_len);
/* ggml_backend_load_all_from_path (it walks the folder with std::filesystem); 0, or JW_GUARD_THREW. */
int jw_guard_load_backends(const char *dir, char *err, size_t err_len);
/* whisper_lang_id: the id, -1 for an unknown code, or JW_GUARD_THREW. */
int jw_guard_lang_id(const char *lang, char *err, size_t err_len);
/* whisper_print_system_info (a static buffer: callers serialise); NULL if it threw. */
const char *jw_guard_system_info(char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
