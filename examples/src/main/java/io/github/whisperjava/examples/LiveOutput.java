package io.github.whisperjava.examples;

import io.github.whisperjava.LiveListener;

/** Where the {@code live} command prints a session's events; the exit code counts its errors. */
interface LiveOutput extends LiveListener {
    /** How many errors the session reported (audio refused, an utterance not transcribed). */
    int errors();
}
