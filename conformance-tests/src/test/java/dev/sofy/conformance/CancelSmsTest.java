package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.client.model.Sms;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.client.model.SmsStatus;
import dev.sofy.testing.KeyPair;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/sms/{id}/cancel} cancels an SMS no carrier took yet, with or without a body of
 * any type; one a carrier took, or final, is a 409 that says its status; another account's is a 404.
 */
@ExtendWith(ConformanceExtension.class)
final class CancelSmsTest {
    private static final String REASON = "canceled by the sender";

    private final ServerUnderTest server;

    CancelSmsTest(ServerUnderTest server) {
        this.server = server;
    }

    /** A transactional SMS to {@code to}, scheduled in an hour when {@code later}; its id. */
    private String sms(KeyPair key, String to, boolean later) {
        String sendAt = later ? ",\"sendAt\":\"" + OffsetDateTime.now(ZoneOffset.UTC).plusHours(1) + "\"" : "";
        Exchange created = server.send(RawRequest.post("/v1/sms").key(key).json("{\"from\":\"APITEST\",\"to\":\"" + to
                + "\",\"body\":\"Hello\",\"isTransactional\":true" + sendAt + "}"), SpecCheck.requestAndResponse());
        assertStatus(201, created);
        return created.responseJson().path("id").asText();
    }

    private String scheduled() {
        return sms(server.key(), Lifecycle.ORDINARY_NUMBER, true);
    }

    private Exchange cancel(String id, KeyPair key) {
        return server.send(RawRequest.post("/v1/sms/" + id + "/cancel").key(key), SpecCheck.requestAndResponse());
    }

    @Test
    void aScheduledSmsIsCanceledAndAnsweredAsCanceled() {
        Exchange exchange = cancel(scheduled(), server.key());

        assertStatus(200, exchange);
        assertEquals(List.of("canceled", REASON), List.of(exchange.responseJson().path("status").asText(),
                exchange.responseJson().path("statusReason").asText()));
    }

    @Test
    void aCanceledSmsIsReadBackCanceled() {
        String id = scheduled();
        cancel(id, server.key());

        JsonNode read = server.send(RawRequest.get("/v1/sms/" + id).key(server.key()), SpecCheck.requestAndResponse())
                .responseJson();

        assertEquals("canceled", read.path("status").asText());
    }

    @Test
    void aCanceledSmsIsListedAsCanceled() {
        String id = scheduled();
        cancel(id, server.key());

        JsonNode page = server.send(RawRequest.get("/v1/sms?status=canceled&limit=100").key(server.key()),
                SpecCheck.requestAndResponse()).responseJson();

        assertTrue(page.path("data").findValuesAsText("id").contains(id), page::toString);
    }

    @Test
    void aCancelWithABodyOfAnyTypeIsAccepted() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms/" + scheduled() + "/cancel").key(server.key())
                .header("Content-Type", "text/plain").body("please"), SpecCheck.responseOnly());

        assertStatus(200, exchange);
    }

    @Test
    void aCancelWithAJsonBodyIsAccepted() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms/" + scheduled() + "/cancel").key(server.key())
                .json("{\"reason\":\"changed my mind\"}"), SpecCheck.responseOnly());

        assertStatus(200, exchange);
    }

    @Test
    void anSmsCanceledAlreadyIsAConflictThatSaysSo() {
        String id = scheduled();
        cancel(id, server.key());

        Exchange again = cancel(id, server.key());

        assertStatus(409, again);
        assertTrue(again.responseJson().path("detail").asText().contains("canceled"), again::describe);
    }

    @Test
    void aDeliveredSmsIsAConflictThatSaysItIsDelivered() throws Exception {
        String id = sms(server.key(), Lifecycle.ORDINARY_NUMBER, false);
        Lifecycle.awaitStatus(server, server.key(), id, "delivered");

        Exchange exchange = cancel(id, server.key());

        assertStatus(409, exchange);
        assertTrue(exchange.responseJson().path("detail").asText().contains("delivered"), exchange::describe);
    }

    @Test
    void aSentSmsIsAConflictThatSaysItIsSent() throws Exception {
        server.assumeSuiteSettings();
        String id = sms(server.key(), Lifecycle.NO_RECEIPT_NUMBER, false);
        Lifecycle.awaitStatus(server, server.key(), id, "sent");

        Exchange exchange = cancel(id, server.key());

        // It waits for a receipt that never comes, for the suite's validity of a few seconds.
        assertStatus(409, exchange);
        assertTrue(exchange.responseJson().path("detail").asText().contains("sent"), exchange::describe);
    }

    @Test
    void anotherAccountsSmsIsNotFound() {
        String theirs = sms(server.otherAccountKey(), Lifecycle.ORDINARY_NUMBER, true);

        assertStatus(404, cancel(theirs, server.key()));
    }

    @Test
    void anUnknownIdIsNotFound() {
        assertStatus(404, cancel(Answers.unusedSmsId(), server.key()));
    }

    @Test
    void aMalformedIdIsNotFound() {
        // The spec's id pattern refuses the request, so only the answer is checked.
        Exchange exchange = server.send(RawRequest.post("/v1/sms/not-an-sms-id/cancel").key(server.key()),
                SpecCheck.responseOnly());

        assertStatus(404, exchange);
    }

    @Test
    void aCancelWithoutKeyIsUnauthorized() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms/" + Answers.unusedSmsId() + "/cancel"),
                SpecCheck.responseOnly());

        assertStatus(401, exchange);
    }

    @Test
    void theGeneratedClientCancelsAnSms() throws Exception {
        GeneratedClient client = server.client(server.key());
        Sms created = client.sms().createSms(new SmsCreateRequest().from("APITEST").to(Lifecycle.ORDINARY_NUMBER)
                .body("Hello").isTransactional(true).sendAt(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)), null);

        Sms canceled = client.sms().cancelSms(created.getId());

        assertEquals(SmsStatus.CANCELED, canceled.getStatus());
    }
}
