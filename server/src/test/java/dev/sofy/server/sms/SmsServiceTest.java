package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Taking SMS in: idempotency, the rules a request must follow, and what is stored. */
class SmsServiceTest {

    /** The fingerprint is stored with each key: a retry across an upgrade must still match. */
    @Test
    void theFingerprintOfARequestWithDefaultFlagsIsTheOneStoredBefore() {
        var request = new SmsToSend("Sofy", "+33 6 12 34 56 78", "Bonjour 👋 café https://example.com/a", true, false);

        assertEquals("624d3e93866fcee5ece19734a0b105d4ce64e1bfd1a2ce85a83c814f2ab844e4", SmsService.fingerprint(request));
    }

    @Test
    void theFingerprintOfARequestWithEveryFlagTurnedIsTheOneStoredBefore() {
        var request = new SmsToSend("33612345678", "590690112233", "Code 1234", false, true);

        assertEquals("e8803a1f87bbbfb70845ff6beebc02103b5a7c6519da2ac7ba12780047bb02f0", SmsService.fingerprint(request));
    }
}
