/*
 * Compressed audio (MP3, FLAC, Ogg Vorbis) to 16 kHz mono float, for
 * io.github.whisperjava.internal.WhisperJni.decodeAudio.
 *
 * whisper-cli decodes with miniaudio and stb_vorbis (examples/common-whisper.cpp); so do we, from the
 * same files of the same pinned whisper.cpp tree and with the same defines and decoder config, so
 * that a file gives the library the samples it gives whisper-cli. Which container the bytes hold, the
 * maximum duration, and what to say about it are decided in Java (audio/AudioDecoder); this file
 * decodes, bounded, and maps miniaudio's failures to AudioFormatException.
 *
 * Unlike common-whisper.cpp it never sizes a buffer from the length a file claims (a header can claim
 * anything): it reads in chunks and stops at the end, at the caller's frame limit, or when a read makes
 * no progress.
 */
#include <jni.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* as common-whisper.cpp: stb_vorbis's declarations, then miniaudio (which uses them), then stb_vorbis */
#define STB_VORBIS_HEADER_ONLY
#include "stb_vorbis.c"

#define MA_NO_DEVICE_IO
#define MA_NO_THREADING
#define MA_NO_ENCODING
#define MA_NO_GENERATION
#define MA_NO_RESOURCE_MANAGER
#define MA_NO_NODE_GRAPH
#define MINIAUDIO_IMPLEMENTATION
#include "miniaudio.h"

#undef STB_VORBIS_HEADER_ONLY
#include "stb_vorbis.c"

#define JWA_EXPORT __attribute__((visibility("default")))

/* whisper.cpp's WHISPER_SAMPLE_RATE */
#define JWA_RATE 16000
/* frames per read and per block of the result: 1 MiB of floats; small enough to stop near the limit */
#define JWA_BLOCK_FRAMES (1 << 18)

/* The container Java sniffed; values shared with AudioDecoder.Container's native codes. */
enum { JWA_MP3 = 1, JWA_FLAC = 2, JWA_VORBIS = 3 };

static void jwa_throw(JNIEnv *env, const char *cls_name, const char *msg) {
    if ((*env)->ExceptionCheck(env)) {
        return;
    }
    jclass cls = (*env)->FindClass(env, cls_name);
    if (cls != NULL) {
        (*env)->ThrowNew(env, cls, msg);
        (*env)->DeleteLocalRef(env, cls);
    }
}

static void jwa_throw_format(JNIEnv *env, const char *what, ma_result r) {
    char msg[256];
    snprintf(msg, sizeof msg, "%s: %s (miniaudio result %d)", what, ma_result_description(r), (int)r);
    jwa_throw(env, "io/github/whisperjava/AudioFormatException", msg);
}

static void jwa_throw_oom(JNIEnv *env) {
    jwa_throw(env, "java/lang/OutOfMemoryError", "whisper-jni: out of native memory while decoding audio");
}

/* The decoded samples: full blocks of JWA_BLOCK_FRAMES, the last one partly filled. No realloc of the
 * whole: growing costs one block, never a copy of everything decoded so far. */
typedef struct {
    float **blocks;
    size_t n_blocks, cap_blocks;
    size_t frames;
} jwa_pcm;

static void jwa_pcm_free(jwa_pcm *p) {
    for (size_t i = 0; i < p->n_blocks; i++) {
        free(p->blocks[i]);
    }
    free(p->blocks);
    memset(p, 0, sizeof *p);
}

/* Room for at least one more frame; false when out of memory. */
static int jwa_pcm_reserve(jwa_pcm *p) {
    if (p->frames < p->n_blocks * (size_t)JWA_BLOCK_FRAMES) {
        return 1;
    }
    if (p->n_blocks == p->cap_blocks) {
        size_t cap = p->cap_blocks == 0 ? 16 : p->cap_blocks * 2;
        float **b = realloc(p->blocks, cap * sizeof *b);
        if (b == NULL) {
            return 0;
        }
        p->blocks = b;
        p->cap_blocks = cap;
    }
    float *block = malloc((size_t)JWA_BLOCK_FRAMES * sizeof(float));
    if (block == NULL) {
        return 0;
    }
    p->blocks[p->n_blocks++] = block;
    return 1;
}

static ma_encoding_format jwa_encoding(jint container) {
    switch (container) {
    case JWA_MP3: return ma_encoding_format_mp3;
    case JWA_FLAC: return ma_encoding_format_flac;
    case JWA_VORBIS: return ma_encoding_format_vorbis;
    default: return ma_encoding_format_unknown;
    }
}

/* Decodes up to max_frames frames; on failure throws and returns with p freed. */
static void jwa_decode(JNIEnv *env, const void *data, size_t size, ma_encoding_format encoding, size_t max_frames,
                       jwa_pcm *p) {
    ma_decoder_config config = ma_decoder_config_init(ma_format_f32, 1, JWA_RATE);
    /* Only the decoder for the container Java found sees the bytes (common-whisper.cpp tries WAV, FLAC,
     * MP3, Vorbis in turn): the same decoder for a valid file, less code facing a hostile one. */
    config.encodingFormat = encoding;
    ma_decoder decoder;
    ma_result r = ma_decoder_init_memory(data, size, &config, &decoder);
    if (r != MA_SUCCESS) {
        jwa_throw_format(env, "cannot open the audio", r);
        return;
    }
    while (p->frames < max_frames) {
        if (!jwa_pcm_reserve(p)) {
            jwa_pcm_free(p);
            jwa_throw_oom(env);
            break;
        }
        size_t in_block = p->frames % JWA_BLOCK_FRAMES;
        ma_uint64 want = JWA_BLOCK_FRAMES - in_block;
        if (want > max_frames - p->frames) {
            want = max_frames - p->frames;
        }
        ma_uint64 got = 0;
        r = ma_decoder_read_pcm_frames(&decoder, p->blocks[p->n_blocks - 1] + in_block, want, &got);
        if (got > want) {
            got = want; /* never trust a count past the buffer we gave */
        }
        p->frames += (size_t)got;
        if (r == MA_AT_END || got == 0) {
            break; /* the end, or a read that made no progress: what was decoded is the audio */
        }
        if (r != MA_SUCCESS) {
            char what[96];
            snprintf(what, sizeof what, "cannot decode the audio after %.2f s", (double)p->frames / JWA_RATE);
            jwa_pcm_free(p);
            jwa_throw_format(env, what, r);
            break;
        }
    }
    ma_decoder_uninit(&decoder);
}

/*
 * float[] decodeAudio(byte[] data, int container, int maxFrames): 16 kHz mono samples, at most
 * maxFrames of them (Java asks for one more than it accepts, to tell "too long" from "just fits").
 */
JWA_EXPORT jfloatArray JNICALL Java_io_github_whisperjava_internal_WhisperJni_decodeAudio(JNIEnv *env, jclass cls,
        jbyteArray data, jint container, jint max_frames) {
    (void)cls;
    ma_encoding_format encoding = jwa_encoding(container);
    if (data == NULL || max_frames <= 0 || encoding == ma_encoding_format_unknown) {
        jwa_throw(env, "java/lang/IllegalArgumentException", "decodeAudio: no data, no frames or unknown container");
        return NULL;
    }
    jsize size = (*env)->GetArrayLength(env, data);
    /* a copy, not a pinned array: decoding takes long and allocates, no place for a critical region */
    void *bytes = malloc(size > 0 ? (size_t)size : 1);
    if (bytes == NULL) {
        jwa_throw_oom(env);
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, data, 0, size, (jbyte *)bytes);

    jwa_pcm pcm = {0};
    jwa_decode(env, bytes, (size_t)size, encoding, (size_t)max_frames, &pcm);
    free(bytes);
    if ((*env)->ExceptionCheck(env)) {
        jwa_pcm_free(&pcm);
        return NULL;
    }
    jfloatArray out = (*env)->NewFloatArray(env, (jsize)pcm.frames);
    if (out != NULL) {
        size_t done = 0;
        for (size_t i = 0; i < pcm.n_blocks && done < pcm.frames && !(*env)->ExceptionCheck(env); i++) {
            size_t n = pcm.frames - done < (size_t)JWA_BLOCK_FRAMES ? pcm.frames - done : (size_t)JWA_BLOCK_FRAMES;
            (*env)->SetFloatArrayRegion(env, out, (jsize)done, (jsize)n, pcm.blocks[i]);
            done += n;
        }
    }
    jwa_pcm_free(&pcm);
    return out;
}
