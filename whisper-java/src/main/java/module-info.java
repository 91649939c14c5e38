/**
 * whisper-java: load a whisper.cpp model once, transcribe from any thread.
 *
 * <p>Only the API is exported. {@code io.github.whisperjava.internal} holds the JNI layer, whose methods
 * take raw native pointers; it is neither exported nor open, so code outside this module can neither
 * call it nor reach it by reflection. (On the class path, where a module boundary does not exist, the
 * same layer is package-private and its package sealed.)
 */
module io.github.whisperjava {
    requires io.github.whisperjava.jni;
    requires java.net.http;
    requires org.apache.commons.io;
    requires org.slf4j;

    exports io.github.whisperjava;
    exports io.github.whisperjava.audio;
    exports io.github.whisperjava.models;
    exports io.github.whisperjava.output;
}
