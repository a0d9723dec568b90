package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.mediaType;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.testing.KeyPair;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** An SMS is read back by its id, by its own account only. */
@ExtendWith(ConformanceExtension.class)
final class ReadSmsTest {
    private final ServerUnderTest server;

    ReadSmsTest(ServerUnderTest server) {
        this.server = server;
    }

    /** Sends the seed's PHP request with {@code key} and returns the SMS created. */
    private JsonNode createSms(KeyPair key) {
        Exchange created = server.send(Seed.phpRequest(key), SpecCheck.requestAndResponse());
        assertStatus(201, created);
        return created.responseJson();
    }

    private Exchange get(String id, KeyPair key, SpecCheck check) {
        return server.send(RawRequest.get("/v1/sms/" + id).key(key).header("Accept", "application/json"), check);
    }

    @Test
    void aCreatedSmsIsReadBackAsTheSameResource() {
        JsonNode created = createSms(server.key());

        Exchange read = get(created.path("id").asText(), server.key(), SpecCheck.requestAndResponse());

        assertStatus(200, read);
        // The dispatcher may have moved it on already: all but its status is as it was created.
        assertEquals(withoutStatus(created), withoutStatus(read.responseJson()));
    }

    private static JsonNode withoutStatus(JsonNode sms) {
        var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) sms).deepCopy();
        copy.remove(List.of("status", "statusReason", "statusUpdatedAt"));
        return copy;
    }

    @Test
    void anUnknownIdIsNotFound() {
        Exchange exchange = get(Answers.unusedSmsId(), server.key(), SpecCheck.requestAndResponse());

        assertStatus(404, exchange);
    }

    @Test
    void aMalformedIdIsNotFound() {
        // The spec's id pattern refuses the request, so only the answer is checked.
        Exchange exchange = get("not-an-sms-id", server.key(), SpecCheck.responseOnly());

        assertStatus(404, exchange);
    }

    @Test
    void anotherAccountsSmsIsNotFoundRatherThanForbidden() {
        KeyPair otherAccount = server.otherAccountKey();
        String id = createSms(otherAccount).path("id").asText();

        Exchange exchange = get(id, server.key(), SpecCheck.requestAndResponse());

        assertStatus(404, exchange);
    }

    @Test
    void headOnAnSmsAnswersAsGetDoesWithoutABody() {
        String id = createSms(server.key()).path("id").asText();

        Exchange exchange = server.send(RawRequest.head("/v1/sms/" + id).key(server.key()), SpecCheck.headAnsweredAsGet());

        assertStatus(200, exchange);
        assertEquals("application/json", mediaType(exchange));
        assertEquals(0, exchange.responseBody().length);
    }

    @Test
    void headOnAnUnknownIdIsNotFound() {
        Exchange exchange = server.send(RawRequest.head("/v1/sms/" + Answers.unusedSmsId()).key(server.key()),
                SpecCheck.headAnsweredAsGet());

        assertStatus(404, exchange);
    }
}
