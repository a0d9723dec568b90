package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.keys;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Requests that are valid, though not as plain as the seed's, are accepted as they are meant. */
@ExtendWith(ConformanceExtension.class)
final class AcceptedSmsTest {
    private static final String EMOJI = "\uD83D\uDE00";

    private final ServerUnderTest server;

    AcceptedSmsTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange send(String json) {
        return server.send(RawRequest.post("/v1/sms").key(server.key()).json(json), SpecCheck.requestAndResponse());
    }

    @Test
    void aRecipientWithALeadingPlusIsAcceptedAndEchoedWithoutIt() {
        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"+590690112233\",\"body\":\"Hello world\"}");

        assertStatus(201, exchange);
        assertEquals(Seed.RECIPIENT, exchange.responseJson().path("to").asText());
    }

    @Test
    void aRecipientWithSeparatorsBetweenDigitsIsEchoedAsDigits() {
        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"+590 690 11 22 33\",\"body\":\"Hello world\"}");

        assertStatus(201, exchange);
        assertEquals(Seed.RECIPIENT, exchange.responseJson().path("to").asText());
    }

    @Test
    void aJsonContentTypeWithACharsetIsAccepted() {
        // Older axios versions send this one.
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key())
                .header("Content-Type", "application/json;charset=utf-8").body(Seed.PHP_BODY),
                SpecCheck.requestAndResponse());

        assertStatus(201, exchange);
    }

    @Test
    void theSeedResponsesShortCodeSenderIsAccepted() {
        Exchange exchange = send("{\"from\":\"36789\",\"to\":\"590690112233\",\"body\":\"Hello world !\"}");

        assertStatus(201, exchange);
        assertEquals("36789", exchange.responseJson().path("from").asText());
    }

    @Test
    void anInternationalNumberSenderIsAccepted() {
        Exchange exchange = send("{\"from\":\"+33612345678\",\"to\":\"590690112233\",\"body\":\"Hello world\"}");

        assertStatus(201, exchange);
        assertEquals("+33612345678", exchange.responseJson().path("from").asText());
    }

    @Test
    void aBodyOf1600EmojiIsAcceptedBecauseTheLimitCountsCodePoints() {
        String body = EMOJI.repeat(1600);

        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"" + body + "\"}");

        assertStatus(201, exchange);
        assertEquals(body, exchange.responseJson().path("body").asText());
    }

    @Test
    void unknownPropertiesAreIgnored() {
        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\","
                + "\"deliverAfter\":\"2030-01-01T00:00:00Z\",\"tags\":[\"a\"],\"meta\":{\"campaign\":1}}");

        assertStatus(201, exchange);
        List<String> keys = keys(exchange.responseJson());
        assertEquals(Seed.RESPONSE_KEYS, keys.subList(0, Seed.RESPONSE_KEYS.size()));
        assertEquals(Seed.addedResponseKeys(exchange.responseJson()), keys.subList(Seed.RESPONSE_KEYS.size(), keys.size()));
    }

    @Test
    void aTransactionalSmsIsNeverHeldForTheSendingWindow() {
        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Code 4821\","
                + "\"isTransactional\":true}");

        assertStatus(201, exchange);
        assertFalse(exchange.responseJson().has("heldUntil"), exchange.responseJson()::toString);
    }
}
