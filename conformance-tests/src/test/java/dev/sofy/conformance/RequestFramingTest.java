package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A body that is not JSON by its content type, or that is too large, is refused before it is read. */
@ExtendWith(ConformanceExtension.class)
final class RequestFramingTest {
    /** The spec's limit on a request body. */
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final ServerUnderTest server;

    RequestFramingTest(ServerUnderTest server) {
        this.server = server;
    }

    @ParameterizedTest(name = "a body sent as {0} is an unsupported media type")
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded"})
    void aNonJsonContentTypeIsAnUnsupportedMediaType(String contentType) {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key())
                .header("Content-Type", contentType).body(Seed.PHP_BODY), SpecCheck.responseOnly());

        assertStatus(415, exchange);
    }

    @Test
    void aBodyWithoutContentTypeIsAnUnsupportedMediaType() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key()).body(Seed.PHP_BODY),
                SpecCheck.responseOnly());

        assertStatus(415, exchange);
    }

    @Test
    void aBodyOver64KiBIsTooLarge() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key()).json(oversizedSms()),
                SpecCheck.responseOnly());

        assertStatus(413, exchange);
    }

    @Test
    void aChunkedBodyOver64KiBIsTooLarge() {
        Exchange exchange = server.send(RawRequest.post("/v1/sms").key(server.key()).json(oversizedSms()).inChunks(),
                SpecCheck.responseOnly());

        assertStatus(413, exchange);
    }

    /**
     * A valid SMS one byte over the limit: the excess is in an unknown property, which would be
     * ignored, so that its size is the only thing wrong with it.
     */
    private static String oversizedSms() {
        String start = "{\"from\":\"APITEST\",\"to\":\"590690112233\",\"body\":\"Hello world\",\"padding\":\"";
        String end = "\"}";
        return start + "a".repeat(MAX_BODY_BYTES + 1 - start.length() - end.length()) + end;
    }
}
