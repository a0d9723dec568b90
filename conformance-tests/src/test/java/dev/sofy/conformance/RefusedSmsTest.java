package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Definitively invalid SMS are refused with a 400 problem whose {@code errors} name every bad
 * field, and only those. Requests the spec itself refuses are checked on their answer only;
 * requests the spec cannot refuse (an invalid number is still a string) are checked whole.
 */
@ExtendWith(ConformanceExtension.class)
final class RefusedSmsTest {
    private final ServerUnderTest server;

    RefusedSmsTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange send(String json, SpecCheck check) {
        return server.send(RawRequest.post("/v1/sms").key(server.key()).json(json), check);
    }

    private static void assertRefusedNaming(Set<String> fields, Exchange exchange) {
        assertStatus(400, exchange);
        assertEquals(fields, errorFields(exchange), exchange::describe);
    }

    @Test
    void malformedJsonIsRefusedAsAWhole() {
        Exchange exchange = send("{\"from\": \"APITEST\", \"to\": ", SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("$"), exchange);
    }

    @Test
    void wrongJsonTypesAreRefusedListingEveryBadField() {
        Exchange exchange = send("{\"from\":3,\"to\":\"590690112233\",\"body\":\"Hello world\","
                + "\"shortenUrls\":\"true\",\"isTransactional\":3}", SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("from", "shortenUrls", "isTransactional"), exchange);
    }

    @Test
    void missingRequiredFieldsAreRefusedListingEachOne() {
        Exchange exchange = send("{\"shortenUrls\":true,\"isTransactional\":false}", SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("from", "to", "body"), exchange);
    }

    @Test
    void anInvalidPhoneNumberIsRefusedNamingTo() {
        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"1234\",\"body\":\"Hello world\"}",
                SpecCheck.requestAndResponse());

        assertRefusedNaming(Set.of("to"), exchange);
    }

    @ParameterizedTest(name = "the sender \"{0}\" is refused naming from")
    @ValueSource(strings = {"12", "TOOLONGSENDER1", "+36789"})
    void anInvalidSenderIsRefusedNamingFrom(String sender) {
        Exchange exchange = send("{\"from\":\"" + sender + "\",\"to\":\"590690112233\",\"body\":\"Hello world\"}",
                SpecCheck.requestAndResponse());

        assertRefusedNaming(Set.of("from"), exchange);
    }

    @Test
    void badFieldsOfBothKindsAreAllListedTogether() {
        Exchange exchange = send("{\"from\":\"12\",\"to\":\"1234\",\"isTransactional\":\"no\"}", SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("from", "to", "body", "isTransactional"), exchange);
    }

    @Test
    void anEmptyBodyIsRefusedAsAWhole() {
        Exchange exchange = send("", SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("$"), exchange);
    }

    @Test
    void aJsonArrayIsRefusedAsAWhole() {
        Exchange exchange = send("[{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\"}]",
                SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("$"), exchange);
    }

    @Test
    void aBodyOf1601CharactersIsRefusedNamingBody() {
        Exchange exchange = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"" + "a".repeat(1601) + "\"}",
                SpecCheck.responseOnly());

        assertRefusedNaming(Set.of("body"), exchange);
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] prefix = "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello ".getBytes(StandardCharsets.US_ASCII);
        byte[] invalid = {(byte) 0xC3, (byte) 0x28}; // a two-byte lead followed by no continuation byte
        byte[] suffix = "\"}".getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[prefix.length + invalid.length + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        System.arraycopy(invalid, 0, body, prefix.length, invalid.length);
        System.arraycopy(suffix, 0, body, prefix.length + invalid.length, suffix.length);

        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key())
                .header("Content-Type", "application/json").body(body), SpecCheck.responseOnly());

        assertStatus(400, exchange);
    }
}
