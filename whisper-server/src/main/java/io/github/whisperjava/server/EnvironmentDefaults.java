package io.github.whisperjava.server;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option's default from the environment, for containers: {@code --max-body-mb} from
 * {@code WHISPER_SERVER_MAX_BODY_MB}, {@code --allow-url-prefix} from {@code WHISPER_SERVER_ALLOW_URL_PREFIX}
 * (comma-separated), a flag such as {@code --no-vad} from {@code WHISPER_SERVER_NO_VAD=true}. A flag on
 * the command line wins; without either, the option's own default holds.
 */
public final class EnvironmentDefaults implements IDefaultValueProvider {
    static final String PREFIX = "WHISPER_SERVER_";

    private final Map<String, String> environment;

    public EnvironmentDefaults() {
        this(System.getenv());
    }

    EnvironmentDefaults(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The variable that sets {@code option} ({@code --max-body-mb}: {@code WHISPER_SERVER_MAX_BODY_MB}). */
    static String variable(String option) {
        return PREFIX + option.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && !option.usageHelp() && !option.versionHelp()) {
            String value = environment.get(variable(option.longestName()));
            return value == null || value.isBlank() ? null : value.strip();
        }
        return null;
    }
}
