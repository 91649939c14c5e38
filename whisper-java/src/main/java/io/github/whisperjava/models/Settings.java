package io.github.whisperjava.models;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Configuration by environment variable with a system-property twin ({@code WHISPER_MODEL_SIZE} and
 * {@code whisper.model.size}). The system property wins: it is the more specific of the two.
 */
public final class Settings {
    private final Function<String, String> env;
    private final Function<String, String> props;

    private Settings(Function<String, String> env, Function<String, String> props) {
        this.env = env;
        this.props = props;
    }

    /** The process's environment and system properties. */
    public static Settings system() {
        return new Settings(System::getenv, System::getProperty);
    }

    /** Fixed values (keys are the environment names), for tests and for embedding. */
    public static Settings of(Map<String, String> values) {
        return new Settings(values::get, k -> null);
    }

    /** {@code WHISPER_MODEL_SIZE} -> {@code whisper.model.size}. */
    public static String propertyName(String envName) {
        return envName.toLowerCase(Locale.ROOT).replace('_', '.');
    }

    public Optional<String> get(String envName) {
        String p = props.apply(propertyName(envName));
        if (p != null && !p.isBlank()) {
            return Optional.of(p.strip());
        }
        String e = env.apply(envName);
        return e == null || e.isBlank() ? Optional.empty() : Optional.of(e.strip());
    }

    public boolean flag(String envName) {
        return get(envName).map(v -> v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"))
                .orElse(false);
    }
}
