package dev.sofy.server.marketing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.server.marketing.MarketingRules.Outcome;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MarketingRulesTest {
    private static final String MAINLAND = "33612345678";
    private static final String GUADELOUPE_MOBILE = "590690112233";
    private static final String UNITED_KINGDOM = "447400123456";
    /** Wednesday 3 June 2026, 12:00 in Paris: the window is open. */
    private static final Instant WEDNESDAY_NOON = paris("2026-06-03T12:00:00");
    /** Sunday 7 June 2026, 23:00 in Paris: the window is closed. */
    private static final Instant SUNDAY_NIGHT = paris("2026-06-07T23:00:00");

    private final MarketingRules rules = MarketingRules.defaults();

    @Test
    void aTransactionalSmsToAFrenchNumberIsSentAsItCameAtNight() {
        assertEquals(new Outcome("Votre code : 1234", Optional.empty()),
                rules.apply(MAINLAND, true, "Votre code : 1234", SUNDAY_NIGHT));
    }

    @Test
    void aMarketingSmsToAMainlandNumberGetsTheMainlandMention() {
        assertEquals("Soldes -20% STOP au 36229", rules.apply(MAINLAND, false, "Soldes -20%", WEDNESDAY_NOON).body());
    }

    @Test
    void aMarketingSmsToAnOverseasNumberGetsTheOverseasMention() {
        assertEquals("Soldes -20% STOP au 36789",
                rules.apply(GUADELOUPE_MOBILE, false, "Soldes -20%", WEDNESDAY_NOON).body());
    }

    @Test
    void aMarketingSmsWithItsOwnMentionKeepsItsBody() {
        assertEquals("Soldes STOP SMS au 36111",
                rules.apply(MAINLAND, false, "Soldes STOP SMS au 36111", WEDNESDAY_NOON).body());
    }

    @Test
    void aMarketingSmsInsideTheWindowIsNotHeld() {
        assertFalse(rules.apply(MAINLAND, false, "Soldes -20%", WEDNESDAY_NOON).isHeld());
    }

    @Test
    void aMarketingSmsOnSundayNightIsHeldUntilMondayAt8() {
        assertEquals(Optional.of(paris("2026-06-08T08:00:00")),
                rules.apply(MAINLAND, false, "Soldes -20%", SUNDAY_NIGHT).heldUntil());
    }

    @Test
    void aHeldMarketingSmsIsHeld() {
        assertTrue(rules.apply(MAINLAND, false, "Soldes -20%", SUNDAY_NIGHT).isHeld());
    }

    @Test
    void aMarketingSmsToGuadeloupeIsHeldUntil8InGuadeloupe() {
        // Noon in Paris is 06:00 in Guadeloupe.
        assertEquals(Optional.of(Instant.parse("2026-06-03T12:00:00Z")),
                rules.apply(GUADELOUPE_MOBILE, false, "Soldes -20%", WEDNESDAY_NOON).heldUntil());
    }

    @Test
    void aMarketingSmsToANumberThatIsNotFrenchIsSentAsItCame() {
        assertEquals(new Outcome("Sale -20%", Optional.empty()),
                rules.apply(UNITED_KINGDOM, false, "Sale -20%", SUNDAY_NIGHT));
    }

    @Test
    void theConfiguredShortCodesAreUsed() {
        var custom = new MarketingRules(new OptOutMention("38111", "38222"), SendingWindow.defaults());
        assertEquals("Soldes STOP au 38111", custom.apply(MAINLAND, false, "Soldes", WEDNESDAY_NOON).body());
    }

    private static Instant paris(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(ZoneId.of("Europe/Paris")).toInstant();
    }
}
