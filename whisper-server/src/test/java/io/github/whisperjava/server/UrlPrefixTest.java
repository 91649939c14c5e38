package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * --allow-url-prefix is compared by scheme, host, port and folder. Compared as text (before), each
 * "must not" below was admitted.
 */
class UrlPrefixTest {
    static boolean admits(String prefix, String url) {
        return UrlPrefix.parse(prefix).admits(URI.create(url));
    }

    @Test
    void theHostAndPortAreTheUrlsOwnNotATextPrefix() {
        assertTrue(admits("http://10.0.0.5", "http://10.0.0.5/a.wav"));
        assertTrue(admits("http://10.0.0.5", "http://10.0.0.5:80/a.wav"));
        assertFalse(admits("http://10.0.0.5", "http://10.0.0.55/a.wav"));
        assertFalse(admits("http://10.0.0.5", "http://10.0.0.5.attacker.example/a.wav"));
        assertFalse(admits("http://10.0.0.5", "http://10.0.0.5@attacker.example/a.wav"));
        assertTrue(admits("http://127.0.0.1:1808", "http://127.0.0.1:1808/a.wav"));
        assertFalse(admits("http://127.0.0.1:1808", "http://127.0.0.1:18080/a.wav"));
        assertFalse(admits("http://files.internal/", "https://files.internal/a.wav"), "another scheme");
        assertTrue(admits("HTTP://Files.Internal/", "http://files.internal/a.wav"), "scheme and host ignore case");
        assertFalse(admits("https://files.internal/", "https://files.internal:8443/a.wav"), "another port");
    }

    @Test
    void thePathIsAFolderOrTheVeryFile() {
        assertTrue(admits("http://h/audio/", "http://h/audio/a.wav"));
        assertTrue(admits("http://h/audio", "http://h/audio/a.wav"), "a path without its slash is a folder too");
        assertFalse(admits("http://h/audio", "http://h/audio2/a.wav"));
        assertFalse(admits("http://h/audio/", "http://h/audio/../secret.wav"));
        assertFalse(admits("http://h/audio/", "http://h/secret.wav"));
        assertTrue(admits("http://h/audio/a.wav", "http://h/audio/a.wav"), "the very file");
        assertFalse(admits("http://h/audio/a.wav", "http://h/audio/a.wav2"));
        assertTrue(admits("http://h/audio/", "http://h/audio/./a.wav?x=1"), "a query on the URL is the file's business");
    }

    @Test
    void aPrefixThatIsNoHttpUrlIsRefusedAtStart() {
        for (String bad : List.of("10.0.0.5", "ftp://h/", "http:///audio/", "http://u:p@h/", "http://h/?x=1",
                "http://h/#f", "http://h/../")) {
            assertThrows(IllegalArgumentException.class, () -> UrlPrefix.parse(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> FetchPolicy.defaults().withAllowedPrefixes(List.of(bad)),
                    bad);
        }
        FetchPolicy p = new FetchPolicy(FetchPolicy.parse(List.of("http://10.0.0.5")), false, 1 << 20, Duration.ofSeconds(1),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
        assertTrue(p.opens(URI.create("http://10.0.0.5/x.wav")));
        assertFalse(p.opens(URI.create("http://10.0.0.55/x.wav")));
    }
}
