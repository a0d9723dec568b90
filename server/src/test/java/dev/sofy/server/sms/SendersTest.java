package dev.sofy.server.sms;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class SendersTest {

    @ParameterizedTest(name = "\"{0}\" is a valid sender")
    @ValueSource(strings = {"APITEST", "A", "ABCDEFGHIJK", "My Shop", "Shop2026", "36789", "123", "12345678",
        "33612345678", "+33612345678", "590690112233"})
    void alphanumericSendersShortCodesAndInternationalNumbersAreAccepted(String from) {
        assertTrue(Senders.isValid(from));
    }

    @ParameterizedTest(name = "\"{0}\" is not a valid sender")
    @NullAndEmptySource
    @ValueSource(strings = {"12", "ABCDEFGHIJKL", "Shop-2026", "Café", "+36789", "123456789", "   ", "1234567890123456"})
    void otherSendersAreRefused(String from) {
        assertFalse(Senders.isValid(from));
    }
}
