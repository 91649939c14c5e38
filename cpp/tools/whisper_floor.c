/*
 * whisper-floor: whisper.cpp's own time for one transcription, with no JVM in the way.
 *
 * Loads the model once (as the library does), then runs whisper_full_with_state on the same samples
 * with the same parameters as the benchmarks' library path, WARMUP + RUNS times, and prints each
 * run's milliseconds on one line of JSON. The benchmarks compare the library against it.
 *
 *   whisper-floor MODEL PCM_F32LE_16K_MONO THREADS WARMUP RUNS [AUDIO_CTX]
 *
 * AUDIO_CTX: encoder positions per window (whisper.cpp's audio_ctx; 0 = the model's full window), the
 * floor of the library's fitted window for the same clip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ggml-backend.h"
#include "whisper.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void quiet(enum ggml_log_level level, const char *text, void *user) {
    (void)user;
    if (level >= GGML_LOG_LEVEL_WARN) {
        fputs(text, stderr);
    }
}

int main(int argc, char **argv) {
    if (argc != 6 && argc != 7) {
        fprintf(stderr, "usage: %s MODEL PCM_F32LE_16K_MONO THREADS WARMUP RUNS [AUDIO_CTX]\n", argv[0]);
        return 2;
    }
    whisper_log_set(quiet, NULL);
    ggml_backend_load_all_from_path(WHISPER_FLOOR_BACKEND_DIR); /* the CPU variants of the cached build */
    if (ggml_backend_dev_count() == 0) {
        fprintf(stderr, "no ggml backend found beside the executable\n");
        return 1;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f) {
        perror(argv[2]);
        return 1;
    }
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    int n = (int)(bytes / 4);
    float *pcm = malloc((size_t)n * sizeof *pcm);
    if (!pcm || fread(pcm, 4, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "cannot read %s\n", argv[2]);
        return 1;
    }
    fclose(f);

    double t0 = now_ms();
    struct whisper_context *ctx = whisper_init_from_file_with_params_no_state(argv[1], whisper_context_default_params());
    if (!ctx) {
        fprintf(stderr, "cannot load %s\n", argv[1]);
        return 1;
    }
    struct whisper_state *st = whisper_init_state(ctx);
    double load_ms = now_ms() - t0;

    /* the library's defaults (TranscribeParams.DEFAULTS) with fallback off, as the benchmarks use */
    struct whisper_full_params p = whisper_full_default_params(WHISPER_SAMPLING_GREEDY);
    p.n_threads = atoi(argv[3]);
    p.language = "en";
    p.temperature_inc = 0.0f;
    p.audio_ctx = argc == 7 ? atoi(argv[6]) : 0;
    p.print_progress = false;
    p.print_realtime = false;
    p.print_timestamps = false;

    int warmup = atoi(argv[4]);
    int runs = atoi(argv[5]);
    printf("{\"model\":\"%s\",\"load_ms\":%.3f,\"runs_ms\":[", argv[1], load_ms);
    for (int i = 0; i < warmup + runs; i++) {
        double s = now_ms();
        if (whisper_full_with_state(ctx, st, p, pcm, n) != 0) {
            fprintf(stderr, "whisper_full failed\n");
            return 1;
        }
        double ms = now_ms() - s;
        if (i >= warmup) {
            printf("%s%.3f", i > warmup ? "," : "", ms);
        }
    }
    printf("],\"segments\":%d}\n", whisper_full_n_segments_from_state(st));
    whisper_free_state(st);
    whisper_free(ctx);
    free(pcm);
    return 0;
}
