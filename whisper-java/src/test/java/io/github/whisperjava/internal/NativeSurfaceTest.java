package io.github.whisperjava.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.whisperjava.Whisper;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of {@link WhisperJni}: a raw native pointer cannot be handed to the library by code outside
 * its internal package. A stale pointer crashes the JVM, so this is checked over every class the library
 * jar holds, not trusted to review.
 */
class NativeSurfaceTest {
    /**
     * Public members of the internal package that take or return a {@code long} that is not a pointer.
     * A new entry here needs a reason.
     */
    static final Set<String> NOT_POINTERS = Set.of(
            "Timeouts.nanos", "Timeouts.deadline", // nanoseconds and System.nanoTime() deadlines
            "CpuBudget.acquire", // a wait in nanoseconds
            "NativeModel$Lease.full", // a System.nanoTime() deadline
            "FittedWindow.positions", "FittedWindow.degenerate", // audio samples and milliseconds
            "AudioEndClamp.clamp", // the audio's end in milliseconds
            "GgmlModelHeader.<init>", "GgmlModelHeader.headerBytes", "GgmlModelHeader.tensorBytes", // file sizes
            "SpeechEndpointer.<init>", "SpeechEndpointer.bestPause", "SpeechEndpointer.speechEnd",
            "SpeechEndpointer.speechStart"); // samples and VAD windows

    static List<Class<?>> libraryClasses() throws Exception {
        Path root = Path.of(Whisper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isDirectory(root), "expected the library's classes folder, got " + root);
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = root.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                if (!name.equals("module-info")) {
                    out.add(Class.forName(name, false, Whisper.class.getClassLoader()));
                }
            }
        }
        assertTrue(out.size() > 30, "found only " + out.size() + " classes under " + root);
        return out;
    }

    @Test
    void everyNativeMethodIsPackagePrivateInTheOneJniClass() throws Exception {
        List<String> natives = new ArrayList<>();
        for (Class<?> c : libraryClasses()) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isNative(m.getModifiers())) {
                    natives.add(c.getSimpleName() + "." + m.getName());
                    assertEquals(WhisperJni.class, c, "a native outside WhisperJni: " + m);
                    assertFalse(Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()),
                            "native reachable from outside its package: " + m);
                }
            }
        }
        assertTrue(natives.size() >= 20, "natives found: " + natives);
        assertFalse(Modifier.isPublic(WhisperJni.class.getModifiers()), "WhisperJni must not be public");
    }

    @Test
    void noPublicMemberOfTheInternalPackageTakesOrReturnsAPointer() throws Exception {
        Set<String> offenders = new TreeSet<>();
        Set<String> notPointersSeen = new TreeSet<>();
        for (Class<?> c : libraryClasses()) {
            if (!c.getPackageName().equals(WhisperJni.class.getPackageName()) || !isReachable(c)) {
                continue;
            }
            List<Executable> members = new ArrayList<>(List.of(c.getDeclaredConstructors()));
            members.addAll(List.of(c.getDeclaredMethods()));
            for (Executable e : members) {
                int mod = e.getModifiers();
                if (!(Modifier.isPublic(mod) || Modifier.isProtected(mod)) || e.isSynthetic()) {
                    continue;
                }
                boolean usesLong = Stream.of(e.getParameterTypes()).anyMatch(t -> t == long.class || t == long[].class)
                        || e instanceof Method m && m.getReturnType() == long.class;
                if (!usesLong) {
                    continue;
                }
                String key = c.getName().substring(c.getPackageName().length() + 1) + "."
                        + (e instanceof Method ? e.getName() : "<init>");
                (NOT_POINTERS.contains(key) ? notPointersSeen : offenders).add(key + describe(e));
            }
            for (var f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers()) && f.getType() == long.class
                        && !Modifier.isFinal(f.getModifiers())) {
                    offenders.add(c.getSimpleName() + "." + f.getName());
                }
            }
        }
        assertEquals(Set.of(), offenders, "public members of the internal package that take or return a long: "
                + "if it is a pointer, keep it package-private; if it is not, add it to NOT_POINTERS");
        assertEquals(NOT_POINTERS, notPointersSeen.stream().map(s -> s.substring(0, s.indexOf('(')))
                .collect(Collectors.toSet()), "NOT_POINTERS names a member that is gone");
    }

    /** Public, and every enclosing class public: code elsewhere can name it. */
    static boolean isReachable(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
            if (!Modifier.isPublic(k.getModifiers())) {
                return false;
            }
        }
        return true;
    }

    static String describe(Executable e) {
        return Stream.of(e.getParameterTypes()).map(Class::getSimpleName).collect(Collectors.joining(",", "(", ")"));
    }

    @Test
    void theModuleExportsTheApiAndNeitherExportsNorOpensTheJniLayer() throws Exception {
        ModuleDescriptor d;
        Path root = Path.of(Whisper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = Files.newInputStream(root.resolve("module-info.class"))) {
            d = ModuleDescriptor.read(in);
        }
        assertEquals("io.github.whisperjava", d.name());
        assertFalse(d.isOpen(), "an open module lets reflection into every package");
        assertEquals(Set.of(), d.opens());
        Set<String> exported = d.exports().stream().map(e -> {
            assertTrue(e.targets().isEmpty(), "qualified export " + e);
            return e.source();
        }).collect(Collectors.toSet());
        assertEquals(Set.of("io.github.whisperjava", "io.github.whisperjava.audio", "io.github.whisperjava.models",
                "io.github.whisperjava.output"), exported);
        assertTrue(d.requires().stream().anyMatch(r -> r.name().equals("io.github.whisperjava.jni")),
                "the natives module must be required, or the module path resolves without it");
    }
}
