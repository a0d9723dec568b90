package dev.sofy.server.http.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.server.sms.SmsToSend;
import org.junit.jupiter.api.Test;

/** The domain fingerprints what this mapping gives for idempotency keys: it must not drift. */
class SmsRequestsTest {

    @Test
    void absentFlagsTakeTheSpecsDefaultsAndTheRecipientIsKeptAsWritten() {
        var request = new SmsCreateRequest().from("Sofy").to("+33 6 12 34 56 78").body("Bonjour");

        assertEquals(new SmsToSend("Sofy", "+33 6 12 34 56 78", "Bonjour", true, false), SmsRequests.toSend(request));
    }

    @Test
    void flagsGivenAreKept() {
        var request = new SmsCreateRequest().from("36789").to("590690112233").body("Code 1234")
                .shortenUrls(false).isTransactional(true);

        assertEquals(new SmsToSend("36789", "590690112233", "Code 1234", false, true), SmsRequests.toSend(request));
    }

    @Test
    void fieldsTheSpecRefusedStayNull() {
        var request = new SmsCreateRequest().from(null).to(null).body(null).shortenUrls(null).isTransactional(null);

        assertEquals(new SmsToSend(null, null, null, true, false), SmsRequests.toSend(request));
    }
}
