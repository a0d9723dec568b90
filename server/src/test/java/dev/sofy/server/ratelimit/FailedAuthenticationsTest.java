package dev.sofy.server.ratelimit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailedAuthenticationsTest {
    private final SettableClock clock = new SettableClock();

    /** A clock the test moves by hand. */
    private static final class SettableClock extends Clock {
        private Instant now = Instant.parse("2026-12-01T10:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** Fails {@code times} times from the address with the key id, ignoring refusals. */
    private static void fail(FailedAuthentications failures, String address, String keyId, int times) {
        for (int i = 0; i < times; i++) {
            try {
                failures.failed(address, keyId);
            } catch (AddressLimitedException refused) {
                // counted as refused
            }
        }
    }

    @Test
    void failuresWithinTheBurstAreNotRefused() {
        var failures = new FailedAuthentications(1, 3, clock);
        for (int i = 0; i < 3; i++) {
            assertDoesNotThrow(() -> failures.failed("192.0.2.1", "some-key"));
        }
    }

    @Test
    void aFailureBeyondTheBurstIsRefusedWithTheSecondsToWait() {
        var failures = new FailedAuthentications(1, 3, clock);
        fail(failures, "192.0.2.1", "some-key", 3);

        var refused = assertThrows(AddressLimitedException.class, () -> failures.failed("192.0.2.1", "some-key"));
        assertEquals(1, refused.retryAfterSeconds());
    }

    @Test
    void theReportHasOneLinePerAddressWithItsFailuresAndRefusalsOverTheInterval() {
        var failures = new FailedAuthentications(1, 3, clock);
        fail(failures, "192.0.2.1", "Rx8kXfqWiQyZjRpGarPTtWzO", 5);
        clock.advance(Duration.ofSeconds(60));

        assertEquals(List.of("5 failed authentications from 192.0.2.1 in the last 60 s, 2 of them refused with 429;"
                + " key ids tried: Rx8k…"), failures.takeReport());
    }

    @Test
    void theReportShowsNoMoreThanTheFirstCharactersOfAKeyId() {
        var failures = new FailedAuthentications(100, 100, clock);
        String keyId = "Rx8kXfqWiQyZjRpGarPTtWzO";
        fail(failures, "192.0.2.1", keyId, 1);

        String line = failures.takeReport().get(0);
        assertFalse(line.contains(keyId.substring(0, FailedAuthentications.KEY_ID_SHOWN + 1)), line);
    }

    @Test
    void aShortKeyIdIsShownWholeAndAMissingOneAsNone() {
        var failures = new FailedAuthentications(100, 100, clock);
        fail(failures, "192.0.2.1", "ci", 1);
        fail(failures, "192.0.2.1", null, 1);

        assertTrue(failures.takeReport().get(0).endsWith("key ids tried: ci, (none)"));
    }

    @Test
    void charactersAKeyIdCannotHaveAreShownAsQuestionMarks() {
        assertEquals("a?b?…", FailedAuthentications.shown("a\u001bb\u00e9cdef"));
    }

    @Test
    void keyIdsBeyondThreeAreSummedUpAsOthers() {
        var failures = new FailedAuthentications(100, 100, clock);
        for (String keyId : List.of("aaaa", "bbbb", "cccc", "dddd", "eeee")) {
            fail(failures, "192.0.2.1", keyId, 1);
        }

        assertTrue(failures.takeReport().get(0).endsWith("key ids tried: aaaa, bbbb, cccc and others"));
    }

    @Test
    void aReportForgetsWhatItReported() {
        var failures = new FailedAuthentications(100, 100, clock);
        fail(failures, "192.0.2.1", "ci", 1);
        failures.takeReport();

        assertEquals(List.of(), failures.takeReport());
    }

    @Test
    void addressesBeyondTheListedOnesAreCountedTogether() {
        var failures = new FailedAuthentications(100, 100, clock);
        int addresses = FailedAuthentications.MAX_LISTED_ADDRESSES + 50;
        for (int i = 0; i < addresses; i++) {
            fail(failures, "10.0." + i / 256 + "." + i % 256, "ci", 2);
        }
        clock.advance(Duration.ofSeconds(60));

        List<String> report = failures.takeReport();
        assertEquals(FailedAuthentications.MAX_LISTED_ADDRESSES + 1, report.size());
        assertEquals("100 failed authentications from addresses beyond the 100 listed in the last 60 s,"
                + " 0 of them refused with 429", report.get(report.size() - 1));
    }

    @Test
    void anIpv6ClientIsReportedAsItsSlash64() {
        var failures = new FailedAuthentications(100, 100, clock);
        fail(failures, "[2001:db8:0:1::7]", "ci", 1);
        fail(failures, "2001:db8:0:1::8", "ci", 1);

        assertTrue(failures.takeReport().get(0).startsWith("2 failed authentications from 2001:db8:0:1::/64 "));
    }
}
