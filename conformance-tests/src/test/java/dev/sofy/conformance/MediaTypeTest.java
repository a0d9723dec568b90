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
 * A body is JSON in UTF-8 by its content type: {@code application/json}, with no charset or
 * {@code utf-8}, in any case. Other JSON-like media types and other charsets are refused with 415,
 * even when the body would read as JSON.
 */
@ExtendWith(ConformanceExtension.class)
final class MediaTypeTest {
    private final ServerUnderTest server;

    MediaTypeTest(ServerUnderTest server) {
        this.server = server;
    }

    private Exchange send(String contentType, SpecCheck check) {
        return server.send(RawRequest.post("/v1/sms").key(server.key()).header("Content-Type", contentType)
                .body(Seed.PHP_BODY), check);
    }

    @ParameterizedTest(name = "a body sent as {0} is an unsupported media type")
    @ValueSource(strings = {"application/merge-patch+json", "application/vnd.api+json", "application/json; charset=utf-16",
        "application/json; charset=iso-8859-1", "text/json"})
    void aMediaTypeOtherThanJsonInUtf8IsUnsupported(String contentType) {
        assertStatus(415, send(contentType, SpecCheck.responseOnly()));
    }

    @ParameterizedTest(name = "a body sent as {0} is read")
    @ValueSource(strings = {"application/json; charset=utf-8", "application/json;charset=UTF-8",
        "Application/JSON; Charset=\"utf-8\""})
    void jsonInUtf8IsReadWhateverTheCaseAndCharsetSpelling(String contentType) {
        assertStatus(201, send(contentType, SpecCheck.responseOnly()));
    }

    @Test
    void aUtf16BodySentAsJsonIsRefusedNamingTheBodyAsAWhole() {
        byte[] utf16 = ("\uFEFF" + Seed.PHP_BODY).getBytes(StandardCharsets.UTF_16BE);

        Exchange refused = server.send(RawRequest.post("/v1/sms").key(server.key())
                .header("Content-Type", "application/json").body(utf16), SpecCheck.responseOnly());

        assertStatus(400, refused);
        assertEquals(Set.of("$"), errorFields(refused), refused::describe);
    }
}
