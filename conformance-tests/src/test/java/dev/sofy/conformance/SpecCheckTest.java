package dev.sofy.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.ValidationReport;
import com.sun.net.httpserver.HttpServer;
import dev.sofy.client.model.SmsCreateRequest;
import dev.sofy.testing.KeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;

/**
 * The check can fail: answers that break the spec in one way each are caught, both when held
 * against the spec directly and when a server sends them to the raw helper or the generated client.
 * Each negative case has a positive twin, so that it fails for its one defect.
 */
@ExtendWith(ConformanceExtension.class)
final class SpecCheckTest {
    /** Every answer of the spec carries one. */
    private static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final String REQUEST_ID = "3q2-7wEjRkmPz0vYc4Xb1A";
    private static final String SEED_ID = "8_zyfMv7Q_o7ovXviPUu3";
    private static final KeyPair KEY = new KeyPair("key-id", "a-secret-of-some-length");
    private static final SpecCheck WRONG_METHOD_CHECK = SpecCheck.responseAs(Request.Method.POST, "/v1/sms");

    private final SpecValidator spec;
    private HttpServer stub;

    SpecCheckTest(SpecValidator spec) {
        this.spec = spec;
    }

    @AfterEach
    void stopStub() {
        if (stub != null) {
            stub.stop(0);
        }
    }

    @Test
    void theSeedResponseWithItsLocationConforms() {
        assertEquals(List.of(), spec.violations(created(Seed.RESPONSE, location(SEED_ID)), SpecCheck.requestAndResponse()));
    }

    @Test
    void anSmsWithTheStatusQueuedDoesNotConform() {
        String queued = Seed.RESPONSE.replace("\"pending\"", "\"queued\"");

        assertHasViolations(created(queued, location(SEED_ID)));
    }

    @Test
    void anSmsWithoutStatusReasonDoesNotConform() {
        String withoutReason = Seed.RESPONSE.replace(",\n  \"statusReason\": \"\"", "");

        assertHasViolations(created(withoutReason, location(SEED_ID)));
    }

    @Test
    void anSmsWithAPropertyTheSpecDoesNotNameDoesNotConform() {
        String withPrice = Seed.RESPONSE.replace("\"statusReason\": \"\"", "\"statusReason\": \"\",\n  \"price\": 0.05");

        assertHasViolations(created(withPrice, location(SEED_ID)));
    }

    @Test
    void aCreatedAnswerWithoutLocationDoesNotConform() {
        assertHasViolations(created(Seed.RESPONSE, Map.of("Content-Type", List.of("application/json"))));
    }

    @Test
    void aProblemInJsonProblemFormConforms() {
        assertEquals(List.of(), spec.violations(badRequest("application/problem+json"), SpecCheck.responseOnly()));
    }

    @Test
    void aProblemSentAsTextPlainDoesNotConform() {
        assertHasViolations(badRequest("text/plain"));
    }

    @Test
    void aWrongMethodProblemWithItsAllowHeaderConformsAsTheDefaultAnswer() {
        Exchange notAllowed = answer("PUT", "/v1/sms", 405, "application/problem+json", problem(405, "Method Not Allowed"));

        assertEquals(List.of(), spec.violations(notAllowed, WRONG_METHOD_CHECK));
    }

    @Test
    void aWrongMethodAnswerInTextPlainDoesNotConformAsTheDefaultAnswer() {
        Exchange notAllowed = answer("PUT", "/v1/sms", 405, "text/plain", "Method Not Allowed");

        assertFalse(spec.violations(notAllowed, WRONG_METHOD_CHECK).isEmpty());
    }

    @Test
    void aHeadAnswerWithoutABodyConformsAsGetsAnswer() {
        Exchange head = answer("HEAD", "/v1/sms/" + SEED_ID, 200, "application/json", "");

        assertEquals(List.of(), spec.violations(head, SpecCheck.headAnsweredAsGet()));
    }

    @Test
    void aHeadAnswerInHtmlDoesNotConformAsGetsAnswer() {
        Exchange head = answer("HEAD", "/v1/sms/" + SEED_ID, 200, "text/html", "");

        assertFalse(spec.violations(head, SpecCheck.headAnsweredAsGet()).isEmpty());
    }

    @Test
    void aNonConformingAnswerFailsARawExchange() throws IOException {
        URI stubUri = startStubAnswering(201, Seed.RESPONSE.replace("\"pending\"", "\"queued\""));
        var http = new RawRequestSender(stubUri, spec);

        assertThrows(AssertionFailedError.class, () -> http.send(
                Seed.phpRequest(KEY), SpecCheck.requestAndResponse()));
    }

    @Test
    void aNonConformingAnswerFailsAGeneratedClientCall() throws IOException {
        URI stubUri = startStubAnswering(201, Seed.RESPONSE.replace("\"pending\"", "\"queued\""));
        GeneratedClient client = GeneratedClient.over(stubUri, KEY, spec);

        assertThrows(AssertionFailedError.class, () -> client.sms().createSms(
                new SmsCreateRequest().from("APITEST").to(Seed.RECIPIENT).body("Hello world"), null));
    }

    @Test
    void aConformingAnswerPassesAGeneratedClientCall() throws Exception {
        URI stubUri = startStubAnswering(201, Seed.RESPONSE);
        GeneratedClient client = GeneratedClient.over(stubUri, KEY, spec);

        var sms = client.sms().createSms(new SmsCreateRequest().from("APITEST").to(Seed.RECIPIENT).body("Hello world"), null);

        assertEquals(SEED_ID, sms.getId());
    }

    private void assertHasViolations(Exchange exchange) {
        List<ValidationReport.Message> violations = spec.violations(exchange, SpecCheck.requestAndResponse());
        assertFalse(violations.isEmpty(), () -> "no violation found in:\n" + exchange.describe());
        assertThrows(AssertionFailedError.class, () -> spec.assertConforms(exchange, SpecCheck.requestAndResponse()));
    }

    private static Map<String, List<String>> location(String id) {
        return Map.of("Content-Type", List.of("application/json"), "Location", List.of("/v1/sms/" + id),
                REQUEST_ID_HEADER, List.of(REQUEST_ID));
    }

    /** The PHP example's request, answered 201 with {@code body} and {@code headers}. */
    private static Exchange created(String body, Map<String, List<String>> headers) {
        return new Exchange("POST", URI.create("http://127.0.0.1/v1/sms"), "/v1/sms", requestHeaders(),
                Seed.PHP_BODY.getBytes(StandardCharsets.UTF_8), 201, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A 400 for a request without a key, as a problem sent with {@code contentType}. */
    private static Exchange badRequest(String contentType) {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,"
                + "\"errors\":[{\"field\":\"to\",\"message\":\"must be a valid international phone number\"}]}";
        return new Exchange("POST", URI.create("http://127.0.0.1/v1/sms"), "/v1/sms", Map.of(),
                new byte[0], 400, Map.of("Content-Type", List.of(contentType), REQUEST_ID_HEADER, List.of(REQUEST_ID)),
                problem.getBytes(StandardCharsets.UTF_8));
    }

    private static String problem(int status, String title) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + "}";
    }

    /** An answer to a request with no body, with an {@code Allow} header as a 405 would carry. */
    private static Exchange answer(String method, String path, int status, String contentType, String body) {
        return new Exchange(method, URI.create("http://127.0.0.1" + path), path, Map.of(), new byte[0], status,
                Map.of("Content-Type", List.of(contentType), "Allow", List.of("POST"), REQUEST_ID_HEADER, List.of(REQUEST_ID)),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, List<String>> requestHeaders() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put(KeyPair.ID_HEADER, List.of(KEY.id()));
        headers.put(KeyPair.SECRET_HEADER, List.of(KEY.secret()));
        headers.put("Content-Type", List.of("application/json"));
        return headers;
    }

    /** A server on 127.0.0.1 that answers everything with {@code status} and a JSON {@code body}. */
    private URI startStubAnswering(int status, String body) throws IOException {
        stub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.getResponseHeaders().add("Location", "/v1/sms/" + SEED_ID);
            exchange.getResponseHeaders().add(REQUEST_ID_HEADER, REQUEST_ID);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        stub.start();
        return URI.create("http://127.0.0.1:" + stub.getAddress().getPort());
    }
}
