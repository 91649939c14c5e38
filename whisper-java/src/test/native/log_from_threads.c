/*
 * Test helper for NativeLogTest, not part of the library: native threads (not Java threads, as ggml's
 * workers are not) logging through ggml's own logger, each line in four fragments as ggml and
 * whisper.cpp write them (a first part, then GGML_LOG_LEVEL_CONT continuations), yielding between
 * fragments so that the threads interleave. Built by the test against the libggml-base the library
 * loaded, so the lines reach the shim's log callback.
 */
#include <jni.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>

void ggml_log_internal(int level, const char *format, ...); /* GGML_API, ggml-impl.h */

enum { LEVEL_WARN = 3, LEVEL_CONT = 5 };

static int g_lines;

static void *worker(void *arg) {
    int t = (int)(intptr_t)arg;
    for (int i = 0; i < g_lines; i++) {
        ggml_log_internal(LEVEL_WARN, "native thread %d line %d: one", t, i);
        sched_yield();
        ggml_log_internal(LEVEL_CONT, ", two");
        sched_yield();
        ggml_log_internal(LEVEL_CONT, ", three");
        sched_yield();
        ggml_log_internal(LEVEL_CONT, ", end\n");
    }
    return NULL;
}

JNIEXPORT jint JNICALL Java_io_github_whisperjava_internal_NativeLogTest_00024ThreadsProbe_logFromThreads(
    JNIEnv *env, jclass cls, jint threads, jint lines) {
    (void)env;
    (void)cls;
    pthread_t ids[64];
    int n = threads < 64 ? threads : 64;
    int started = 0;
    g_lines = lines;
    for (int t = 0; t < n; t++) {
        if (pthread_create(&ids[started], NULL, worker, (void *)(intptr_t)t) == 0) {
            started++;
        }
    }
    for (int t = 0; t < started; t++) {
        pthread_join(ids[t], NULL);
    }
    return started;
}
