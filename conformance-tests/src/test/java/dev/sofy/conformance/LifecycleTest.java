package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.client.model.Encoding;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.client.model.SmsStatus;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An SMS goes from {@code pending} to its final status as the carrier (the built-in SMSC
 * simulator and its test numbers) decides, with the reason the spec names; and says how many
 * parts its text takes. Read through the generated client, every exchange checked.
 */
@ExtendWith(ConformanceExtension.class)
final class LifecycleTest {
    private static final String REJECTED_PREFIX = "rejected by the carrier: ";

    private final ServerUnderTest server;

    LifecycleTest(ServerUnderTest server) {
        this.server = server;
    }

    private static SmsCreateRequest sms(String to, String body) {
        return new SmsCreateRequest().from("APITEST").to(to).body(body);
    }

    /** Sends an SMS to {@code to} and returns it once it has a final status. */
    private Sms finalStatusOfAnSmsTo(String to) throws Exception {
        GeneratedClient client = server.client(server.key());
        Sms created = client.sms().createSms(sms(to, "Hello world"), null);
        return Lifecycle.awaitFinalStatus(client, created.getId());
    }

    @Test
    void anOrdinarySmsIsDeliveredAfterItWasCreated() throws Exception {
        Sms delivered = finalStatusOfAnSmsTo(Lifecycle.ORDINARY_NUMBER);

        assertEquals(SmsStatus.DELIVERED, delivered.getStatus(), delivered::toString);
        assertEquals("", delivered.getStatusReason());
        assertTrue(delivered.getStatusUpdatedAt().isAfter(delivered.getCreatedAt()), delivered::toString);
    }

    @Test
    void aDeliveredSmsNamesTheCarrierThatTookIt() throws Exception {
        Sms delivered = finalStatusOfAnSmsTo(Lifecycle.ORDINARY_NUMBER);

        assertEquals("simulator", delivered.getCarrier(), delivered::toString);
    }

    @Test
    void aPendingSmsNamesNoCarrier() throws Exception {
        Sms created = server.client(server.key()).sms().createSms(sms(Lifecycle.ORDINARY_NUMBER, "Hello world"), null);

        assertNull(created.getCarrier(), created::toString);
    }

    @Test
    void anSmsTheCarrierRefusesIsErroredWithTheCarriersReason() throws Exception {
        Sms refused = finalStatusOfAnSmsTo(Lifecycle.REJECTED_NUMBER);

        assertEquals(SmsStatus.ERRORED, refused.getStatus(), refused::toString);
        assertTrue(refused.getStatusReason().startsWith(REJECTED_PREFIX)
                && refused.getStatusReason().length() > REJECTED_PREFIX.length(), refused::toString);
    }

    @Test
    void anUndeliveredReceiptMakesTheSmsUndeliveredWithItsErrorCode() throws Exception {
        Sms undelivered = finalStatusOfAnSmsTo(Lifecycle.UNDELIVERED_NUMBER);

        assertEquals(SmsStatus.UNDELIVERED, undelivered.getStatus(), undelivered::toString);
        assertEquals("undelivered: error 001", undelivered.getStatusReason());
    }

    @Test
    void anExpiredReceiptMakesTheSmsUndeliveredAsExpired() throws Exception {
        Sms expired = finalStatusOfAnSmsTo(Lifecycle.EXPIRED_NUMBER);

        assertEquals(SmsStatus.UNDELIVERED, expired.getStatus(), expired::toString);
        assertEquals("expired", expired.getStatusReason());
    }

    @Test
    void aSentSmsWithoutReceiptIsErroredWhenItsValidityEnds() throws Exception {
        server.assumeSuiteSettings();

        Sms unanswered = finalStatusOfAnSmsTo(Lifecycle.NO_RECEIPT_NUMBER);

        assertEquals(SmsStatus.ERRORED, unanswered.getStatus(), unanswered::toString);
        assertEquals("no receipt before the validity period ended", unanswered.getStatusReason());
    }

    @Test
    void anSmsTheCarrierKeepsThrottlingIsErroredAsExpiredBeforeSendingForWantOfACarrier() throws Exception {
        server.assumeSuiteSettings();

        Sms throttled = finalStatusOfAnSmsTo(Lifecycle.THROTTLED_NUMBER);

        assertEquals(SmsStatus.ERRORED, throttled.getStatus(), throttled::toString);
        assertEquals("expired before sending: carrier unavailable", throttled.getStatusReason());
    }

    @Test
    void aTextOf160GsmCharactersTakesOneSegment() throws Exception {
        Sms sms = server.client(server.key()).sms().createSms(sms(Lifecycle.ORDINARY_NUMBER, "a".repeat(160)), null);

        assertEquals(1, sms.getSegments());
        assertEquals(Encoding.GSM_7, sms.getEncoding());
    }

    @Test
    void aTextOf161GsmCharactersTakesTwoSegments() throws Exception {
        Sms sms = server.client(server.key()).sms().createSms(sms(Lifecycle.ORDINARY_NUMBER, "a".repeat(161)), null);

        assertEquals(2, sms.getSegments());
        assertEquals(Encoding.GSM_7, sms.getEncoding());
    }

    @Test
    void anSmsOfTwoPartsIsDeliveredOnceBothAre() throws Exception {
        GeneratedClient client = server.client(server.key());
        Sms created = client.sms().createSms(sms(Lifecycle.ORDINARY_NUMBER, "a".repeat(161)), null);

        Sms delivered = Lifecycle.awaitFinalStatus(client, created.getId());

        assertEquals(SmsStatus.DELIVERED, delivered.getStatus(), delivered::toString);
    }

    @Test
    void aTextWithOneEmojiIsSentAsUcs2() throws Exception {
        Sms sms = server.client(server.key()).sms().createSms(
                sms(Lifecycle.ORDINARY_NUMBER, "Bonne année \uD83C\uDF89"), null);

        assertEquals(Encoding.UCS_2, sms.getEncoding());
        assertEquals(1, sms.getSegments());
    }

    @Test
    void theStatusFilterFindsSmsInTheirFinalStatus() throws Exception {
        GeneratedClient client = server.client(server.freshAccountKey());
        String delivered = client.sms().createSms(sms(Lifecycle.ORDINARY_NUMBER, "a"), null).getId();
        String undelivered = client.sms().createSms(sms(Lifecycle.UNDELIVERED_NUMBER, "b"), null).getId();
        String errored = client.sms().createSms(sms(Lifecycle.REJECTED_NUMBER, "c"), null).getId();
        for (String id : List.of(delivered, undelivered, errored)) {
            Lifecycle.awaitFinalStatus(client, id);
        }

        assertEquals(List.of(delivered), idsWithStatus(client, SmsStatus.DELIVERED));
        assertEquals(List.of(undelivered), idsWithStatus(client, SmsStatus.UNDELIVERED));
        assertEquals(List.of(errored), idsWithStatus(client, SmsStatus.ERRORED));
    }

    private static List<String> idsWithStatus(GeneratedClient client, SmsStatus status) throws Exception {
        return client.sms().listSms(null, null, status, null, null, null).getData().stream().map(Sms::getId).toList();
    }
}
