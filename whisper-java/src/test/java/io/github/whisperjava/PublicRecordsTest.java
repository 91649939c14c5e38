package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the public records compute themselves, through the internal rooms they share with the pipeline. */
class PublicRecordsTest {
    static Segment segment(String text) {
        return new Segment(0, 0, 1_000, text, List.of(), 0f, false);
    }

    @Test
    void aSegmentsCompressionRatioIsWhatTheFittedWindowChecks() {
        assertEquals(0.0, segment("").compressionRatio());
        double plain = segment(" And so my fellow Americans, ask not what your country can do for you.").compressionRatio();
        double loop = segment(" the the the the the the the the the the the the the the the the the the the").compressionRatio();
        assertTrue(plain > 0.5 && plain < 2.4, "plain speech is no repetition: " + plain);
        assertTrue(loop > 2.4, "a decoding loop is: " + loop);
    }

    @Test
    void languageNamesAreWhisperCppsAndAnUnknownCodeIsItself() {
        assertEquals("english", LanguageProbability.nameOf("en"));
        assertEquals("german", LanguageProbability.nameOf("de"));
        assertEquals("xx", LanguageProbability.nameOf("xx"));
    }
}
