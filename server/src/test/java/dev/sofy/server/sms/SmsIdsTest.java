package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

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
            for (char c : SmsIds.next().substring(8).toCharArray()) {
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
    void idsOfTheSameMillisecondShareTheirFirstEightCharacters() {
        Instant now = Instant.parse("2026-11-25T10:15:30.123Z");
        assertEquals(SmsIds.next(now).substring(0, 8), SmsIds.next(now).substring(0, 8));
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
