package dev.sofy.server.marketing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OptOutMentionTest {
    private final OptOutMention optOut = OptOutMention.defaults();

    @ParameterizedTest(name = "\"{0}\" carries a mention")
    @ValueSource(strings = {
        "Soldes -20% STOP au 36789",
        "Soldes -20% STOP AU 36229",
        "Soldes -20% stop au 36229",
        "Soldes -20% Stop SMS au 36111",
        "Soldes -20% STOP SMS 36180",
        "Soldes -20% STOP 36789",
        "Soldes -20% STOPau36789",
        "Soldes -20% STOP au36789",
        "Soldes -20% STOP\u00A0au\u00A036789",
        "Soldes -20% Stop: 36111",
        "Soldes -20% Répondez STOP à 36789",
        "STOP au 36789 pour ne plus recevoir nos offres",
        "Soldes -20%\nSTOP au 36789"
    })
    void existingMentionsAreFound(String body) {
        assertTrue(OptOutMention.isPresentIn(body));
    }

    @ParameterizedTest(name = "\"{0}\" carries no mention")
    @ValueSource(strings = {
        "Soldes -20%",
        "Soldes -20% STOP",
        "Soldes -20% STOP au numéro court",
        "Soldes -20% STOP au 3678",       // four digits are no short code
        "Soldes -20% STOP au 367890",     // nor six
        "Soldes -20% NONSTOP 36789",
        "Soldes -20% STOPPED 36789",
        "Soldes -20% au 36789",
        "Soldes -20% code 36789"
    })
    void textsWithoutAMentionAreNotMistakenForOne(String body) {
        assertFalse(OptOutMention.isPresentIn(body));
    }

    @Test
    void theMainlandMentionIsAppendedAfterASpace() {
        assertEquals("Soldes -20% STOP au 36229", optOut.appendIfMissing("Soldes -20%", false));
    }

    @Test
    void theOverseasMentionIsAppendedAfterASpace() {
        assertEquals("Soldes -20% STOP au 36789", optOut.appendIfMissing("Soldes -20%", true));
    }

    @Test
    void aBodyWithAMentionIsLeftAsItIs() {
        assertEquals("Soldes STOP SMS au 36111 !", optOut.appendIfMissing("Soldes STOP SMS au 36111 !", true));
    }

    @Test
    void aBodyEndingWithALineBreakGetsNoExtraSeparator() {
        assertEquals("Soldes -20%\nSTOP au 36229", optOut.appendIfMissing("Soldes -20%\n", false));
    }

    @Test
    void aBodyEndingWithASpaceGetsNoExtraSeparator() {
        assertEquals("Soldes -20% STOP au 36229", optOut.appendIfMissing("Soldes -20% ", false));
    }

    @Test
    void anEmptyBodyGetsTheMentionAlone() {
        assertEquals("STOP au 36229", optOut.appendIfMissing("", false));
    }

    @Test
    void appendingTwiceAppendsOnce() {
        String once = optOut.appendIfMissing("Soldes -20%", true);
        assertEquals(once, optOut.appendIfMissing(once, true));
    }

    @Test
    void theShortCodesAreConfigurable() {
        var custom = new OptOutMention("38111", "38222");
        assertEquals("Soldes STOP au 38222", custom.appendIfMissing("Soldes", true));
    }

    @Test
    void theMainlandShortCodeIsConfigurable() {
        assertEquals("STOP au 38111", new OptOutMention("38111", "38222").mention(false));
    }

    @Test
    void theDefaultShortCodesAreThoseClientsOfSofyWrite() {
        assertEquals("36229", optOut.mainlandShortCode());
        assertEquals("36789", optOut.overseasShortCode());
    }

    @ParameterizedTest(name = "\"{0}\" is no short code")
    @NullAndEmptySource
    @ValueSource(strings = {"3622", "362290", "ABCDE", "36 29", " 36229"})
    void shortCodesOtherThanFiveDigitsAreRefused(String shortCode) {
        assertThrows(IllegalArgumentException.class, () -> new OptOutMention(shortCode, "36789"));
    }

    @Test
    void aBadOverseasShortCodeIsRefusedToo() {
        assertThrows(IllegalArgumentException.class, () -> new OptOutMention("36229", "3678"));
    }
}
