package io.github.whisperjava.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.whisperjava.LivePartial;
import io.github.whisperjava.LiveUtterance;
import io.github.whisperjava.Segment;
import io.github.whisperjava.Transcript;
import io.github.whisperjava.internal.LocalAgreement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Deltas from partials' stable text, without a model: no model the tests have decodes text that two
 * partials agree on (the weightless one decodes none, the random-weights one noise that changes with every
 * second of audio), so the path where partials send deltas is driven here with the library's own
 * agreement over segment text as whisper writes it, a leading space included.
 */
class RealtimeEventsTest {
    @Test
    void deltasFromStableTextStayAPrefixOfTheTrimmedFinal() {
        List<Map<String, Object>> sent = new ArrayList<>();
        RealtimeEvents events = new RealtimeEvents("t", sent::add);
        LocalAgreement agreement = new LocalAgreement();
        for (String decode : new String[] {" And so my", " And so my fellow", " And so my fellow Americans"}) {
            String[] parts = agreement.accept(decode);
            events.onPartial(new LivePartial(0, 0, 1000, parts[0], parts[1]));
        }
        String whole = " And so my fellow Americans, ask not";
        Transcript t = new Transcript(List.of(new Segment(0, 0, 3000, whole, List.of(), 0f, false)), "en", 3000, 0,
                null, null, Float.NaN);
        events.onFinal(new LiveUtterance(0, 0, 3000, t));

        StringBuilder deltas = new StringBuilder();
        int count = 0;
        for (Map<String, Object> e : sent.subList(0, sent.size() - 1)) {
            assertEquals("conversation.item.input_audio_transcription.delta", e.get("type"), sent.toString());
            deltas.append(e.get("delta"));
            count++;
        }
        Map<String, Object> completed = sent.get(sent.size() - 1);
        assertEquals(t.text(), completed.get("transcript"));
        // the partials' agreed words went out as they came, and the final added the rest: together its text
        assertEquals(completed.get("transcript"), deltas.toString(), sent.toString());
        assertEquals(3, count, "two from partials, one from the final: " + sent);
    }
}
