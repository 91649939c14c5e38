package io.github.whisperjava.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * The files under directories and globs, listed through Hadoop's file systems as Spark's file
 * sources list them (fully qualified, hidden {@code _x} and {@code .x} names left out), but with
 * empty files kept: Spark's {@code binaryFile} drops them, and every file must come out as a row.
 */
final class ArchiveListing {
    private ArchiveListing() {}

    static Set<String> list(List<String> inputs, Configuration conf) {
        Set<String> files = new TreeSet<>();
        for (String input : inputs) {
            try {
                Path pattern = new Path(input);
                FileSystem fs = pattern.getFileSystem(conf);
                FileStatus[] matches = fs.globStatus(pattern);
                if (matches == null || matches.length == 0) {
                    // a mistyped input must fail the job, not succeed with nothing to do
                    throw new IllegalArgumentException("no such file or directory: " + input);
                }
                for (FileStatus m : matches) {
                    if (m.isDirectory()) {
                        RemoteIterator<LocatedFileStatus> it = fs.listFiles(m.getPath(), true);
                        while (it.hasNext()) {
                            add(files, it.next().getPath(), m.getPath());
                        }
                    } else {
                        add(files, m.getPath(), null);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + input, e);
            }
        }
        return files;
    }

    /** Leaves out a file that is hidden or lies in a hidden folder below the input, as Spark does. */
    private static void add(Set<String> files, Path file, Path root) {
        for (Path p = file; p != null && !p.equals(root); p = p.getParent()) {
            String name = p.getName();
            if (name.startsWith("_") || name.startsWith(".")) {
                return;
            }
        }
        files.add(file.toString());
    }
}
