package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API's reference, public: the spec, the page that renders it and the page's files, as the spec declares them. */
@ExtendWith(ConformanceExtension.class)
final class ApiReferenceTest {
    private final ServerUnderTest server;

    ApiReferenceTest(ServerUnderTest server) {
        this.server = server;
    }

    @ParameterizedTest(name = "GET {0} conforms without a key")
    @ValueSource(strings = {"/openapi.yaml", "/docs", "/docs/swagger-initializer.js", "/docs/swagger-ui.css",
            "/docs/favicon-32x32.png"})
    void theReferenceConformsWithoutAKey(String path) {
        assertStatus(200, server.send(RawRequest.get(path), SpecCheck.requestAndResponse()));
    }

    @ParameterizedTest(name = "HEAD {0} conforms")
    @ValueSource(strings = {"/openapi.yaml", "/docs", "/docs/swagger-ui-bundle.js"})
    void aHeadOnTheReferenceConformsToItsOperation(String path) {
        Exchange exchange = server.send(RawRequest.head(path), SpecCheck.headAnsweredAsGet());

        assertStatus(200, exchange);
        assertEquals(0, exchange.responseBody().length);
    }

    @Test
    void anUnknownFileOfThePageIsNotFoundAsItsOperationSays() {
        assertStatus(404, server.send(RawRequest.get("/docs/unknown.js"), SpecCheck.requestAndResponse()));
    }
}
