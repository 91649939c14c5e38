package io.github.whisperjava.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-1 and SHA-256 of a file, lower-case hex: catalogues publish one or the other. */
record Digests(String sha1, String sha256) {

    /** Both in one read: a model is up to 3 GB. */
    static Digests of(Path file) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buf = new byte[1 << 20];
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha1.update(buf, 0, n);
                    sha256.update(buf, 0, n);
                }
            }
            return new Digests(HexFormat.of().formatHex(sha1.digest()), HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new ModelDownloadException("cannot read " + file + " to verify it: " + e, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
