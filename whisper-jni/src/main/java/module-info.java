/**
 * The native libraries of whisper-java: resources under {@code native/<os>-<arch>/}, no classes. A named
 * module (not an automatic one) so that {@code io.github.whisperjava} can require it by a stable name and
 * an application on the module path gets it resolved; the folder names are not package names, so the
 * resources are not encapsulated and the loader reads them through the class loader.
 */
module io.github.whisperjava.jni {
}
