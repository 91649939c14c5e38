package io.github.whisperjava.models;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models whisper-java knows how to fetch: the built-in catalogue ({@code models/catalog.tsv} of
 * the source tree, shipped in the jar), plus entries of a user catalogue in the same format
 * ({@code WHISPER_MODEL_CATALOG}), which add models or replace built-in ones of the same name.
 */
public final class ModelCatalog {
    static final String RESOURCE = "/io/github/whisperjava/models/catalog.tsv";

    private final Map<String, ModelEntry> byName;

    private ModelCatalog(Map<String, ModelEntry> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    public static ModelCatalog builtIn() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the model catalogue " + RESOURCE + " is missing from the jar");
            }
            return new ModelCatalog(parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), RESOURCE));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This catalogue with the entries of {@code file} added (same names replace built-in entries). */
    public ModelCatalog with(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read model catalogue " + file + ": " + e, e);
        }
        Map<String, ModelEntry> merged = new LinkedHashMap<>(byName);
        merged.putAll(parse(text, file.toString()));
        return new ModelCatalog(merged);
    }

    public Optional<ModelEntry> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<ModelEntry> entries() {
        return new ArrayList<>(byName.values());
    }

    /** Every size users can ask for (tiny, tiny.en, base, ..., large-v3-turbo), in catalogue order. */
    public Set<String> sizes() {
        Set<String> s = new LinkedHashSet<>();
        byName.values().stream().filter(e -> !e.isVad()).forEach(e -> s.add(e.size()));
        return s;
    }

    /** Entries of one size, in catalogue order. */
    public List<ModelEntry> ofSize(String size) {
        return byName.values().stream().filter(e -> !e.isVad() && e.size().equals(size)).toList();
    }

    static Map<String, ModelEntry> parse(String text, String source) {
        Map<String, ModelEntry> out = new LinkedHashMap<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\t");
            if (f.length != 10) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": expected 10 tab-separated columns, got "
                        + f.length);
            }
            try {
                boolean multilingual = switch (f[5]) {
                    case "multilingual" -> true;
                    case "english" -> false;
                    default -> throw new IllegalArgumentException("languages must be multilingual or english");
                };
                ModelEntry e = new ModelEntry(f[0], f[1], f[2], f[3], f[4].equals("-") ? -1 : Long.parseLong(f[4]),
                        multilingual, f[6], opt(f[7]), opt(f[8]), opt(f[9]));
                out.put(e.name(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ":" + lineNo + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static Optional<String> opt(String s) {
        return s.equals("-") ? Optional.empty() : Optional.of(s);
    }
}
