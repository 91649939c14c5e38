package io.github.whisperjava;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
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

    /**
     * Options users build are changed field by field through {@code with…} methods, so the canonical
     * constructor can gain a parameter without breaking them: each method changes its field and no other,
     * and the constructor's checks still apply.
     */
    @Test
    void everyVadOptionHasAWithMethodThatChangesOnlyIt() throws Exception {
        Map<String, UnaryOperator<VadOptions>> with = Map.of(
                "model", o -> o.withModel(Path.of("silero.bin")),
                "threshold", o -> o.withThreshold(0.7f),
                "minSpeechMs", o -> o.withMinSpeechMs(400),
                "minSilenceMs", o -> o.withMinSilenceMs(300),
                "maxSpeechSeconds", o -> o.withMaxSpeechSeconds(20f),
                "speechPadMs", o -> o.withSpeechPadMs(60),
                "samplesOverlapSeconds", o -> o.withSamplesOverlapSeconds(0.3f));
        List<String> names = new ArrayList<>();
        for (RecordComponent c : VadOptions.class.getRecordComponents()) {
            names.add(c.getName());
            UnaryOperator<VadOptions> change = with.get(c.getName());
            assertTrue(change != null, "VadOptions." + c.getName() + " has no with… method in this test");
            VadOptions changed = change.apply(VadOptions.DEFAULTS);
            for (RecordComponent other : VadOptions.class.getRecordComponents()) {
                Object before = other.getAccessor().invoke(VadOptions.DEFAULTS);
                Object after = other.getAccessor().invoke(changed);
                if (other.getName().equals(c.getName())) {
                    assertTrue(!Objects.equals(before, after), c.getName() + " did not change");
                } else {
                    assertEquals(before, after, "with" + c.getName() + " changed " + other.getName());
                }
            }
        }
        assertEquals(with.keySet(), Set.copyOf(names));
        assertThrows(IllegalArgumentException.class, () -> VadOptions.DEFAULTS.withMinSpeechMs(-1));
        assertThrows(IllegalArgumentException.class, () -> VadOptions.DEFAULTS.withMaxSpeechSeconds(0.5f));
    }
}
