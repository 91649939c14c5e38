package io.github.whisperjava.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the file under a model's name in the cache is that model. It used to be trusted for being
 * there, but a cache also holds what was copied in by hand or by another tool, truncated by a full
 * disk, or changed since: whisper.cpp then loads the wrong model, or fails with a message about
 * tensors, not about the file.
 *
 * <p>Kept cheap: a file this library downloaded or verified carries a {@link VerifiedStamp}, and while
 * the stamp still describes it and agrees with the catalogue's checksum, using it costs a stat. Any
 * other file is hashed once, against the catalogue's checksum, else the one its stamp recorded (it
 * changed since it was verified), has its header checked as a download's is, and is stamped. A file
 * with neither checksum (an entry without one, copied in by hand) can only have its header checked,
 * which is cheap, so that is done on every use; stamping it would claim a verification that never was.
 */
final class CachedModel {
    private static final Logger LOG = LoggerFactory.getLogger(CachedModel.class);

    private CachedModel() {}

    /** The cheap check: a stamp that still describes {@code file} and agrees with the catalogue. */
    static boolean stamped(ModelEntry entry, Path file) {
        return VerifiedStamp.read(file).filter(s -> s.describes(file) && agrees(entry, s.digests())).isPresent();
    }

    /** Why {@code file} (which exists) is not {@code entry}'s model, or empty when it is. */
    static Optional<String> problem(ModelEntry entry, Path file) {
        if (stamped(entry, file)) {
            return Optional.empty();
        }
        Optional<VerifiedStamp> old = VerifiedStamp.read(file);
        String expected;
        String source;
        boolean sha1;
        if (entry.sha1().isPresent() || entry.sha256().isPresent()) {
            sha1 = entry.sha1().isPresent();
            expected = sha1 ? entry.sha1().get() : entry.sha256().get();
            source = "the catalogue " + (sha1 ? "SHA-1" : "SHA-256");
        } else if (old.isPresent()) {
            sha1 = false;
            expected = old.get().digests().sha256();
            source = "the SHA-256 it had when it was verified";
        } else {
            return structureProblem(entry, file);
        }
        VerifiedStamp before;
        try {
            before = VerifiedStamp.of(file, null); // before hashing: a change while it is read voids the stamp
        } catch (IOException e) {
            return Optional.of("cannot read it: " + e);
        }
        LOG.info("verifying {} against {} (once; {} records it)", file, source,
                VerifiedStamp.pathOf(file).getFileName());
        Digests d;
        try {
            d = Digests.of(file);
        } catch (ModelDownloadException e) {
            return Optional.of(e.getMessage());
        }
        String actual = sha1 ? d.sha1() : d.sha256();
        if (!actual.equals(expected) || !agrees(entry, d)) {
            return Optional.of("it failed verification against " + source + ": expected " + expected + ", got "
                    + actual);
        }
        Optional<String> wrong = structureProblem(entry, file);
        if (wrong.isEmpty()) {
            stamp(file, before.withDigests(d));
        }
        return wrong;
    }

    /** Records a verification; a stamp that cannot be written only costs a hash at the next use. */
    static void stamp(Path file, VerifiedStamp stamp) {
        try {
            stamp.write(file);
        } catch (IOException e) {
            LOG.warn("cannot write {} ({}); {} will be verified again at its next use", VerifiedStamp.pathOf(file), e,
                    file.getFileName());
        }
    }

    private static boolean agrees(ModelEntry entry, Digests d) {
        return entry.sha1().map(d.sha1()::equals).orElse(true) && entry.sha256().map(d.sha256()::equals).orElse(true);
    }

    private static Optional<String> structureProblem(ModelEntry entry, Path file) {
        return Optional.ofNullable(ModelDownloader.structureProblem(entry, file)).map(String::strip);
    }
}
