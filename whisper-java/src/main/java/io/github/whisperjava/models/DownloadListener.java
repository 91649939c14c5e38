package io.github.whisperjava.models;

/** Progress of a model download. Called on the downloading thread. */
@FunctionalInterface
public interface DownloadListener {
    /**
     * @param file the file being fetched
     * @param bytesDone bytes on disk so far (a resumed download starts above 0)
     * @param bytesTotal expected total, or -1 if unknown
     */
    void onProgress(String file, long bytesDone, long bytesTotal);

    DownloadListener NONE = (f, d, t) -> {};
}
