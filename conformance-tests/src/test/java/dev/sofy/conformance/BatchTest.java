package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sofy.testing.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code POST /v1/sms/batch}: up to 1,000 SMS at once, all or nothing, each with the fields of
 * {@code POST /v1/sms}; idempotent as a whole; counted as its SMS against the send limit.
 */
@ExtendWith(ConformanceExtension.class)
final class BatchTest {
    private static final String PATH = "/v1/sms/batch";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The spec's limit on the body of a batch. */
    private static final int MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

    private final ServerUnderTest server;

    BatchTest(ServerUnderTest server) {
        this.server = server;
    }

    private static ObjectNode sms(String to, String body) {
        return JSON.createObjectNode().put("from", "APITEST").put("to", to).put("body", body);
    }

    /** A batch of {@code size} valid SMS, {@code Message 0}, {@code Message 1}... to French mobiles. */
    private static ObjectNode batch(int size) {
        ObjectNode batch = JSON.createObjectNode();
        ArrayNode messages = batch.putArray("messages");
        for (int i = 0; i < size; i++) {
            messages.add(sms(String.format("3361234%04d", i), "Message " + i).put("isTransactional", true));
        }
        return batch;
    }

    private static ArrayNode messages(ObjectNode batch) {
        return (ArrayNode) batch.get("messages");
    }

    private Exchange send(KeyPair key, JsonNode batch) {
        return server.send(RawRequest.post(PATH).key(key).json(batch.toString()), SpecCheck.requestAndResponse());
    }

    /** Sends a batch the spec refuses: only the answer is checked against it. */
    private Exchange sendInvalid(KeyPair key, JsonNode batch) {
        return server.send(RawRequest.post(PATH).key(key).json(batch.toString()), SpecCheck.responseOnly());
    }

    private Exchange send(KeyPair key, String idempotencyKey, JsonNode batch) {
        return server.send(RawRequest.post(PATH).key(key).header("Idempotency-Key", idempotencyKey).json(batch.toString()),
                SpecCheck.requestAndResponse());
    }

    private List<String> bodies(Exchange exchange) {
        List<String> bodies = new ArrayList<>();
        exchange.responseJson().path("data").forEach(sms -> bodies.add(sms.path("body").asText()));
        return bodies;
    }

    private int storedSmsOf(KeyPair key) {
        Exchange list = server.send(RawRequest.get("/v1/sms?limit=100").key(key), SpecCheck.requestAndResponse());
        assertStatus(200, list);
        return list.responseJson().path("data").size();
    }

    // Created

    @Test
    void aBatchIsCreatedWithItsSmsInTheOrderGiven() {
        Exchange exchange = send(server.key(), batch(3));

        assertStatus(201, exchange);
        assertEquals(List.of("Message 0", "Message 1", "Message 2"), bodies(exchange));
    }

    @Test
    void everySmsOfABatchIsPending() {
        Exchange exchange = send(server.key(), batch(3));

        exchange.responseJson().path("data").forEach(sms -> assertEquals("pending", sms.path("status").asText()));
    }

    @Test
    void everySmsOfABatchCanBeReadBack() {
        Exchange created = send(server.key(), batch(2));

        for (JsonNode sms : created.responseJson().path("data")) {
            Exchange read = server.send(RawRequest.get("/v1/sms/" + sms.path("id").asText()).key(server.key()),
                    SpecCheck.requestAndResponse());
            assertStatus(200, read);
        }
    }

    @Test
    void aBatchOf1000SmsIsCreated() {
        Exchange exchange = send(server.freshAccountKey(), batch(1_000));

        assertStatus(201, exchange);
        assertEquals(1_000, exchange.responseJson().path("data").size());
    }

    @Test
    void aBatchOverTheLimitOfOneSmsRequestButUnder4MiBIsCreated() {
        ObjectNode batch = batch(100);
        messages(batch).forEach(sms -> ((ObjectNode) sms).put("body", "é".repeat(1_000)));
        assertTrue(batch.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 64 * 1024);

        assertStatus(201, send(server.freshAccountKey(), batch));
    }

    // All or nothing

    @Test
    void anInvalidMessageRefusesTheBatchNamingItsPlace() {
        ObjectNode batch = batch(5);
        messages(batch).set(3, sms("0612", "Hello"));

        Exchange exchange = send(server.key(), batch);

        assertStatus(400, exchange);
        assertEquals(Set.of("messages[3].to"), errorFields(exchange));
    }

    @Test
    void anInvalidBatchStoresNothing() {
        KeyPair key = server.freshAccountKey();
        ObjectNode batch = batch(5);
        messages(batch).set(4, sms("0612", "Hello"));

        send(key, batch);

        assertEquals(0, storedSmsOf(key));
    }

    @Test
    void everyBadFieldOfEveryMessageIsListed() {
        ObjectNode batch = batch(4);
        messages(batch).set(0, sms("33612345678", "Hello").put("from", "!!"));
        ((ObjectNode) messages(batch).get(1)).remove("body");
        ((ObjectNode) messages(batch).get(2)).put("shortenUrls", "yes");
        messages(batch).set(3, sms("0612", "Hello"));

        Exchange exchange = sendInvalid(server.key(), batch);

        assertStatus(400, exchange);
        assertEquals(Set.of("messages[0].from", "messages[1].body", "messages[2].shortenUrls", "messages[3].to"),
                errorFields(exchange));
    }

    @Test
    void aBatchWithMoreThan1000BadFieldsListsTheFirst1000AndSaysHowManyThereAre() {
        ObjectNode batch = batch(1_000);
        messages(batch).forEach(sms -> ((ObjectNode) sms).put("from", "!!").put("to", "0612"));

        Exchange exchange = sendInvalid(server.freshAccountKey(), batch);

        assertStatus(400, exchange);
        assertEquals(1_000, exchange.responseJson().path("errors").size());
        assertEquals("The request has 2000 invalid fields. The first 1000 are listed.",
                exchange.responseJson().path("detail").asText());
    }

    @Test
    void aMessageThatIsNoObjectIsNamedByItsPlace() {
        ObjectNode batch = batch(2);
        messages(batch).set(1, JSON.getNodeFactory().textNode("Hello"));

        Exchange exchange = sendInvalid(server.key(), batch);

        assertStatus(400, exchange);
        assertEquals(Set.of("messages[1]"), errorFields(exchange));
    }

    @Test
    void aBatchWithoutMessagesIsRefused() {
        Exchange exchange = sendInvalid(server.key(), JSON.createObjectNode());

        assertStatus(400, exchange);
        assertEquals(Set.of("messages"), errorFields(exchange));
    }

    @Test
    void anEmptyBatchIsRefused() {
        Exchange exchange = sendInvalid(server.key(), batch(0));

        assertStatus(400, exchange);
        assertEquals(Set.of("messages"), errorFields(exchange));
    }

    @Test
    void aBatchOfMoreThan1000SmsIsRefused() {
        Exchange exchange = sendInvalid(server.freshAccountKey(), batch(1_001));

        assertStatus(400, exchange);
        assertEquals(Set.of("messages"), errorFields(exchange));
    }

    @Test
    void aBatchWithoutAKeyIsUnauthorized() {
        Exchange exchange = server.send(RawRequest.post(PATH).json(batch(1).toString()), SpecCheck.responseOnly());

        assertStatus(401, exchange);
    }

    @Test
    void aBatchThatIsNotJsonIsAnUnsupportedMediaType() {
        Exchange exchange = server.send(RawRequest.post(PATH).key(server.key())
                .header("Content-Type", "text/plain").body(batch(1).toString()), SpecCheck.responseOnly());

        assertStatus(415, exchange);
    }

    // Size

    @Test
    void aBatchOver4MiBIsTooLarge() {
        Exchange exchange = server.send(RawRequest.post(PATH).key(server.key()).json(oversizedBatch()),
                SpecCheck.responseOnly());

        assertStatus(413, exchange);
    }

    @Test
    void aChunkedBatchOver4MiBIsTooLarge() {
        Exchange exchange = server.send(RawRequest.post(PATH).key(server.key()).json(oversizedBatch()).inChunks(),
                SpecCheck.responseOnly());

        assertStatus(413, exchange);
    }

    /** A valid batch one byte over the limit, the excess in an unknown property, which would be ignored. */
    private static String oversizedBatch() {
        String start = "{\"messages\":" + messages(batch(1)) + ",\"padding\":\"";
        String end = "\"}";
        return start + "a".repeat(MAX_BATCH_BODY_BYTES + 1 - start.length() - end.length()) + end;
    }

    // Idempotency

    @Test
    void aRetryWithTheSameKeyGetsTheSameAnswer() {
        String key = UUID.randomUUID().toString();
        Exchange first = send(server.key(), key, batch(3));

        Exchange retry = send(server.key(), key, batch(3));

        assertStatus(201, retry);
        assertEquals(first.responseJson(), retry.responseJson());
    }

    @Test
    void aRetryOfABatchIsMarkedAsReplayedAndTheFirstAnswerIsNot() {
        String key = UUID.randomUUID().toString();
        Exchange first = send(server.key(), key, batch(3));

        Exchange retry = send(server.key(), key, batch(3));

        assertFalse(first.responseHeader("Idempotent-Replayed").isPresent(), first::describe);
        assertEquals("true", retry.responseHeader("Idempotent-Replayed").orElseThrow());
    }

    @Test
    void aRetryOfABatchStoresNothingNew() {
        KeyPair account = server.freshAccountKey();
        String key = UUID.randomUUID().toString();
        send(account, key, batch(3));

        send(account, key, batch(3));

        assertEquals(3, storedSmsOf(account));
    }

    @Test
    void theSameKeyWithAnotherBatchIsRefused() {
        String key = UUID.randomUUID().toString();
        send(server.key(), key, batch(3));

        assertStatus(422, send(server.key(), key, batch(2)));
    }

    @Test
    void theKeyOfASingleSmsCannotBeReusedForABatch() {
        String key = UUID.randomUUID().toString();
        server.send(RawRequest.post("/v1/sms").key(server.key()).header("Idempotency-Key", key).json(Seed.PHP_BODY),
                SpecCheck.requestAndResponse());

        assertStatus(422, send(server.key(), key, batch(1)));
    }

    // Rate limits

    @Test
    void aBatchCountsItsSmsAgainstTheSendLimit() {
        KeyPair key = server.sendLimitedKey(10);

        Exchange exchange = send(key, batch(4));

        assertStatus(201, exchange);
        assertEquals("6", exchange.responseHeader("x-ratelimit-remaining").orElseThrow());
    }

    @Test
    void aBatchOfMoreSmsThanAreLeftIsRefusedWithRetryAfter() {
        KeyPair key = server.sendLimitedKey(100);
        // Nine seconds of debt: more than the test takes to send the next batch.
        send(key, batch(1_000));

        Exchange refused = send(key, batch(50));

        assertStatus(429, refused);
        long retryAfter = Long.parseLong(refused.responseHeader("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 2 && retryAfter <= 10, refused::describe);
    }

    @Test
    void aBatchLargerThanTheLimitIsTakenWhenTheQuotaIsFull() {
        KeyPair key = server.sendLimitedKey(100);

        Exchange exchange = send(key, batch(1_000));

        assertStatus(201, exchange);
        assertEquals("0", exchange.responseHeader("x-ratelimit-remaining").orElseThrow());
    }

    @Test
    void theResetAfterALargeBatchSaysWhenItsDebtIsPaidBack() {
        KeyPair key = server.sendLimitedKey(100);

        Exchange exchange = send(key, batch(1_000));

        long reset = Long.parseLong(exchange.responseHeader("x-ratelimit-reset").orElseThrow());
        // 900 of debt at 100 a second, less what came back while the batch was stored.
        assertTrue(reset >= 2 && reset <= 10, exchange::describe);
    }

    @Test
    void theRequestAfterALargeBatchWaitsUntilItsDebtIsPaidBack() {
        KeyPair key = server.sendLimitedKey(100);
        send(key, batch(1_000));

        Exchange next = server.send(Seed.phpRequest(key), SpecCheck.requestAndResponse());

        assertStatus(429, next);
        long retryAfter = Long.parseLong(next.responseHeader("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 2 && retryAfter <= 10, next::describe);
    }

    @Test
    void aBatchLargerThanTheLimitIsRefusedUnlessTheQuotaIsFull() {
        KeyPair key = server.sendLimitedKey(100);
        // The whole quota: it takes a second to come back, the next request far less.
        send(key, batch(100));

        Exchange refused = send(key, batch(101));

        assertStatus(429, refused);
    }
}
