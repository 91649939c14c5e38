package io.github.whisperjava.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * One {@code --allow-url-prefix}, parsed when the service starts and compared by its parts: the scheme,
 * the host and the port must be the URL's own, and the path names a folder the URL's path lies in (or
 * the very file). Compared as text, {@code http://10.0.0.5} let through {@code http://10.0.0.55/} and
 * {@code http://10.0.0.5.attacker.example/}, and {@code http://127.0.0.1:1808} port 18080.
 */
record UrlPrefix(String scheme, String host, int port, String path) {
    /**
     * @throws IllegalArgumentException for anything but an absolute http(s) URL with a host and no user
     *     info, query or fragment
     */
    static UrlPrefix parse(String text) {
        URI u;
        try {
            u = new URI(text.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--allow-url-prefix " + text + " is no URL: " + e.getMessage());
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || u.getHost() == null || u.getRawUserInfo() != null
                || u.getRawQuery() != null || u.getRawFragment() != null) {
            throw new IllegalArgumentException("--allow-url-prefix " + text + " must be an http or https URL with a "
                    + "host and an optional port and path, such as http://files.internal:8080/audio/");
        }
        String path = normalizedPath(u);
        if (path == null) {
            throw new IllegalArgumentException("--allow-url-prefix " + text + " has '..' in its path");
        }
        return new UrlPrefix(scheme, u.getHost().toLowerCase(Locale.ROOT), effectivePort(u), path);
    }

    /** Whether {@code uri} is on this scheme, host and port, in this folder (or is this file). */
    boolean admits(URI uri) {
        String s = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!s.equals(scheme) || uri.getHost() == null || !uri.getHost().toLowerCase(Locale.ROOT).equals(host)
                || effectivePort(uri) != port) {
            return false;
        }
        String p = normalizedPath(uri);
        if (p == null) {
            return false;
        }
        String folder = path.endsWith("/") ? path : path + "/";
        return p.equals(path) || p.startsWith(folder);
    }

    private static int effectivePort(URI u) {
        if (u.getPort() >= 0) {
            return u.getPort();
        }
        return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    /** The decoded path with "." and ".." resolved; null when ".." would climb out of it or stays in it. */
    private static String normalizedPath(URI u) {
        String p = u.getPath() == null || u.getPath().isEmpty() ? "/" : u.getPath();
        if (!p.startsWith("/")) {
            return null;
        }
        String n;
        try {
            n = new URI(null, null, p, null).normalize().getPath();
        } catch (URISyntaxException e) {
            return null;
        }
        return n.startsWith("/..") || n.contains("/../") || n.endsWith("/..") ? null : n;
    }
}
