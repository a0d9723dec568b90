package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static dev.sofy.conformance.Answers.errorFields;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Text in a body must be valid Unicode. JSON can spell an unpaired surrogate as an escape
 * ({@code "\ud800"}); it is no character and cannot be sent to a handset, so the field is refused.
 * No schema can say so (the spec says it in words): only the answers are checked.
 */
@ExtendWith(ConformanceExtension.class)
final class UnicodeTextTest {
    private final ServerUnderTest server;

    UnicodeTextTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange send(String json, SpecCheck check) {
        return server.send(RawRequest.post("/v1/sms").key(server.key()).json(json), check);
    }

    @Test
    void anUnpairedSurrogateInTheTextIsRefusedNamingBody() {
        Exchange refused = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello \\ud800 world\"}",
                SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("body"), errorFields(refused), refused::describe);
    }

    @Test
    void aLowSurrogateAloneIsRefusedToo() {
        Exchange refused = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"\\udc00\"}", SpecCheck.responseOnly());

        assertEquals(Set.of("body"), errorFields(refused), refused::describe);
    }

    @Test
    void anUnpairedSurrogateIsListedWithTheOtherBadFields() {
        Exchange refused = send("{\"from\":\"APITEST\",\"to\":\"1234\",\"body\":\"\\ud83d\"}", SpecCheck.responseOnly());

        assertEquals(Set.of("to", "body"), errorFields(refused), refused::describe);
    }

    @Test
    void anUnpairedSurrogateInAnotherFieldIsRefusedNamingIt() {
        Exchange refused = server.send(RawRequest.post("/v1/opt-outs").key(server.freshAccountKey())
                .json("{\"number\":\"3361234567\\ud800\"}"), SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("number"), errorFields(refused), refused::describe);
    }

    @Test
    void aSurrogatePairIsACharacterAndIsSent() {
        Exchange sent = send("{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello \\ud83d\\ude00\"}",
                SpecCheck.requestAndResponse());

        assertStatus(201, sent);
        assertEquals("Hello \uD83D\uDE00", sent.responseJson().path("body").asText());
    }
}
