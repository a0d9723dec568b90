package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentsTest {
    private static final String CYRILLIC = "ж";
    private static final String EMOJI = "😀";

    @Test
    void aGsm7TextOf160SeptetsIsOnePart() {
        Segments segments = Segments.of("a".repeat(160));
        assertEquals(Encoding.GSM7, segments.encoding());
        assertEquals(1, segments.count());
    }

    @Test
    void aGsm7TextOf161SeptetsIsTwoPartsOf153AndEight() {
        Segments segments = Segments.of("a".repeat(161));
        assertEquals(Encoding.GSM7, segments.encoding());
        assertEquals(List.of("a".repeat(153), "a".repeat(8)), segments.parts());
    }

    @Test
    void aGsm7TextOf306SeptetsIsTwoFullParts() {
        assertEquals(List.of("a".repeat(153), "a".repeat(153)), Segments.of("a".repeat(306)).parts());
    }

    @Test
    void aGsm7TextOf307SeptetsIsThreeParts() {
        Segments segments = Segments.of("a".repeat(307));
        assertEquals(3, segments.count());
        assertEquals("a", segments.parts().get(2));
    }

    @Test
    void eightyExtensionCharactersFillOnePart() {
        Segments segments = Segments.of("€".repeat(80));
        assertEquals(Encoding.GSM7, segments.encoding());
        assertEquals(1, segments.count());
    }

    @Test
    void anExtensionCharacterCountsTwiceTowardsTheSinglePartLimit() {
        assertEquals(1, Segments.of("a".repeat(158) + "€").count());
        assertEquals(2, Segments.of("a".repeat(159) + "€").count());
    }

    @Test
    void anExtensionCharacterThatWouldStraddleAPartBoundaryStartsTheNextPart() {
        Segments segments = Segments.of("a".repeat(152) + "€" + "b".repeat(10));
        assertEquals(List.of("a".repeat(152), "€" + "b".repeat(10)), segments.parts());
    }

    @Test
    void anExtensionCharacterThatEndsExactlyOnTheBoundaryStaysInThePart() {
        Segments segments = Segments.of("a".repeat(151) + "€" + "b".repeat(10));
        assertEquals(List.of("a".repeat(151) + "€", "b".repeat(10)), segments.parts());
    }

    @Test
    void aUcs2TextOf70UnitsIsOnePart() {
        Segments segments = Segments.of(CYRILLIC.repeat(70));
        assertEquals(Encoding.UCS2, segments.encoding());
        assertEquals(1, segments.count());
    }

    @Test
    void aUcs2TextOf71UnitsIsTwoPartsOf67AndFour() {
        Segments segments = Segments.of(CYRILLIC.repeat(71));
        assertEquals(List.of(CYRILLIC.repeat(67), CYRILLIC.repeat(4)), segments.parts());
    }

    @Test
    void aUcs2TextOf134UnitsIsTwoFullParts() {
        assertEquals(List.of(CYRILLIC.repeat(67), CYRILLIC.repeat(67)), Segments.of(CYRILLIC.repeat(134)).parts());
    }

    @Test
    void aUcs2TextOf135UnitsIsThreeParts() {
        Segments segments = Segments.of(CYRILLIC.repeat(135));
        assertEquals(3, segments.count());
        assertEquals(CYRILLIC, segments.parts().get(2));
    }

    @Test
    void oneCharacterOutsideTheAlphabetMakesTheWholeTextUcs2() {
        Segments segments = Segments.of("a".repeat(100) + "ç");
        assertEquals(Encoding.UCS2, segments.encoding());
        assertEquals(List.of("a".repeat(67), "a".repeat(33) + "ç"), segments.parts());
    }

    @Test
    void oneEmojiMakesTheTextUcs2() {
        Segments segments = Segments.of("Hello " + EMOJI);
        assertEquals(Encoding.UCS2, segments.encoding());
        assertEquals(1, segments.count());
    }

    @Test
    void anEmojiCountsAsTwoUnits() {
        assertEquals(1, Segments.of("a".repeat(68) + EMOJI).count());
        assertEquals(2, Segments.of("a".repeat(69) + EMOJI).count());
    }

    @Test
    void anEmojiThatWouldStraddleAPartBoundaryStartsTheNextPart() {
        Segments segments = Segments.of("a".repeat(66) + EMOJI + "b".repeat(10));
        assertEquals(List.of("a".repeat(66), EMOJI + "b".repeat(10)), segments.parts());
    }

    @Test
    void anEmojiThatEndsExactlyOnTheBoundaryStaysInThePart() {
        Segments segments = Segments.of("a".repeat(65) + EMOJI + "b".repeat(10));
        assertEquals(List.of("a".repeat(65) + EMOJI, "b".repeat(10)), segments.parts());
    }

    @Test
    void thePartsJoinedGiveBackTheText() {
        String text = ("Ünïcödé € [test] " + EMOJI + " ").repeat(30);
        assertEquals(text, String.join("", Segments.of(text).parts()));
    }

    @Test
    void aTextNeedingMoreThan255PartsIsRefused() {
        assertEquals(255, Segments.of("a".repeat(153 * 255)).count());
        assertThrows(IllegalArgumentException.class, () -> Segments.of("a".repeat(153 * 255 + 1)));
    }

    @Test
    void encodingsHaveTheirWireNames() {
        assertEquals("GSM-7", Encoding.GSM7.wireName());
        assertEquals("UCS-2", Encoding.UCS2.wireName());
        assertEquals(Encoding.UCS2, Encoding.fromWireName("UCS-2"));
    }
}
