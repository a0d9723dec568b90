package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sofy.testing.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A retried POST with the same Idempotency-Key never creates a second SMS. */
@ExtendWith(ConformanceExtension.class)
final class IdempotencyTest {
    private static final String OTHER_BODY = "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello again\"}";

    private final ServerUnderTest server;

    IdempotencyTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange send(KeyPair key, String idempotencyKey, String body, SpecCheck check) {
        return server.send(RawRequest.post("/v1/sms").key(key).header("Idempotency-Key", idempotencyKey).json(body), check);
    }

    private Exchange send(String idempotencyKey, String body) {
        return send(server.key(), idempotencyKey, body, SpecCheck.requestAndResponse());
    }

    @Test
    void aRetryWithTheSameKeyAndBodyGetsTheSameSms() {
        String key = UUID.randomUUID().toString();
        Exchange first = send(key, Seed.PHP_BODY);

        Exchange retry = send(key, Seed.PHP_BODY);

        assertStatus(201, first);
        assertStatus(201, retry);
        assertEquals(first.responseJson(), retry.responseJson());
        assertEquals(first.responseHeader("Location"), retry.responseHeader("Location"));
    }

    @Test
    void aRetryIsMarkedAsReplayedAndTheFirstAnswerIsNot() {
        String key = UUID.randomUUID().toString();
        Exchange first = send(key, Seed.PHP_BODY);

        Exchange retry = send(key, Seed.PHP_BODY);

        assertFalse(first.responseHeader("Idempotent-Replayed").isPresent(), first::describe);
        assertEquals("true", retry.responseHeader("Idempotent-Replayed").orElseThrow());
    }

    @Test
    void aRetryWithTheSameFieldsInAnotherOrderIsTheSameRequest() {
        String key = UUID.randomUUID().toString();
        Exchange first = send(key, "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\"}");

        Exchange retry = send(key, "{ \"body\": \"Hello world\", \"to\": \"590690112233\", \"from\": \"APITEST\","
                + " \"shortenUrls\": true, \"isTransactional\": false }");

        assertStatus(201, retry);
        assertEquals(first.responseJson().path("id"), retry.responseJson().path("id"));
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefused() {
        String key = UUID.randomUUID().toString();
        send(key, Seed.PHP_BODY);

        Exchange reuse = send(key, OTHER_BODY);

        assertStatus(422, reuse);
    }

    @Test
    void withoutAKeyTwoIdenticalRequestsCreateTwoSms() {
        Exchange first = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse());
        Exchange second = server.send(Seed.phpRequest(server.key()), SpecCheck.requestAndResponse());

        assertNotEquals(first.responseJson().path("id"), second.responseJson().path("id"));
    }

    @Test
    void keysAreScopedToTheAccount() {
        String key = UUID.randomUUID().toString();
        Exchange mine = send(key, Seed.PHP_BODY);

        Exchange theirs = send(server.otherAccountKey(), key, Seed.PHP_BODY, SpecCheck.requestAndResponse());

        assertStatus(201, theirs);
        assertNotEquals(mine.responseJson().path("id"), theirs.responseJson().path("id"));
        assertFalse(theirs.responseHeader("Idempotent-Replayed").isPresent(), theirs::describe);
    }

    @Test
    void aRefusedRequestIsNotRememberedSoItsKeyCanBeRetried() {
        String key = UUID.randomUUID().toString();
        Exchange refused = send(server.key(), key, "{\"from\":\"APITEST\",\"to\":\"0612\",\"body\":\"Hello world\"}",
                SpecCheck.responseOnly());

        Exchange retry = send(key, Seed.PHP_BODY);

        assertStatus(400, refused);
        assertStatus(201, retry);
        assertFalse(retry.responseHeader("Idempotent-Replayed").isPresent(), retry::describe);
    }

    @Test
    void aKeyOver255CharactersIsRefusedNamingTheHeader() {
        Exchange exchange = send(server.key(), "k".repeat(256), Seed.PHP_BODY, SpecCheck.responseOnly());

        assertStatus(400, exchange);
        assertEquals(Set.of("Idempotency-Key"), errorFields(exchange));
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOneSms() throws Exception {
        String key = UUID.randomUUID().toString();
        List<Exchange> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Exchange>> pending = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                // Each answer is a 201 (first or replayed) or a 409 (the first is still in flight).
                pending.add(pool.submit(() -> send(server.key(), key, Seed.PHP_BODY, SpecCheck.requestAndResponse())));
            }
            for (Future<Exchange> answer : pending) {
                answers.add(answer.get());
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> ids = new java.util.HashSet<>();
        int originals = 0;
        for (Exchange answer : answers) {
            assertTrue(answer.status() == 201 || answer.status() == 409, answer::describe);
            if (answer.status() == 201) {
                ids.add(answer.responseJson().path("id").asText());
                originals += answer.responseHeader("Idempotent-Replayed").isPresent() ? 0 : 1;
            }
        }
        assertEquals(1, ids.size(), "ids: " + ids);
        assertEquals(1, originals);
    }
}
