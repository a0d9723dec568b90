package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmsIdsTest {

    @Test
    void idsAre21UrlSafeCharacters() {
        for (int i = 0; i < 1_000; i++) {
            String id = SmsIds.next();
            assertTrue(id.matches("[A-Za-z0-9_-]{21}"), id);
        }
    }

    @Test
    void idsDoNotRepeat() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(SmsIds.next());
        }
        assertEquals(100_000, ids.size());
    }

    @Test
    void everyCharacterOfTheAlphabetAppearsInTheRandomPart() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            for (char c : SmsIds.next().substring(7).toCharArray()) {
                seen.add(c);
            }
        }
        assertEquals(64, seen.size());
    }

    @Test
    void idsOfALaterMillisecondSortAfterIdsOfAnEarlierOne() {
        Instant earlier = Instant.parse("2026-11-25T10:15:30.123Z");
        for (int i = 0; i < 1_000; i++) {
            String first = SmsIds.next(earlier);
            String second = SmsIds.next(earlier.plusMillis(1 + i));
            assertTrue(first.compareTo(second) < 0, first + " then " + second);
        }
    }

    @Test
    void idsOfTheSameMillisecondShareTheirFirstSevenCharacters() {
        Instant now = Instant.parse("2026-11-25T10:15:30.123Z");
        assertEquals(SmsIds.next(now).substring(0, 7), SmsIds.next(now).substring(0, 7));
    }

    @ParameterizedTest(name = "an id made at {0} starts with a letter")
    @ValueSource(strings = {"2026-11-25T00:00:00Z", "2050-01-01T00:00:00Z", "2109-01-01T00:00:00Z"})
    void idsOfThisCenturyAndTheNextStartWithALetter(String instant) {
        assertTrue(Character.isLetter(SmsIds.next(Instant.parse(instant)).charAt(0)));
    }

    @Test
    void theSeedsIdIsWellFormed() {
        assertTrue(SmsIds.isWellFormed("8_zyfMv7Q_o7ovXviPUu3"));
    }

    @Test
    void idsOfAnotherLengthOrWithOtherCharactersAreNotWellFormed() {
        assertFalse(SmsIds.isWellFormed("8_zyfMv7Q_o7ovXviPUu"));
        assertFalse(SmsIds.isWellFormed("8_zyfMv7Q_o7ovXviPUu33"));
        assertFalse(SmsIds.isWellFormed("8_zyfMv7Q_o7ovXviP/u3"));
        assertFalse(SmsIds.isWellFormed(null));
    }
}
