package dev.sofy.conformance;

import static dev.sofy.conformance.Answers.assertStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.model.Request;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The management listener (metrics, liveness, readiness), held against {@code openapi/management.yaml}:
 * every exchange conforms, and unknown paths and methods are problems like the API's.
 */
@ExtendWith(ConformanceExtension.class)
final class ManagementTest {
    private final RawRequestSender management;

    ManagementTest(ServerUnderTest server) {
        this.management = server.management();
    }

    @Test
    void metricsAreServedAsPrometheusText() {
        Exchange exchange = management.send(RawRequest.get("/metrics"), SpecCheck.requestAndResponse());

        assertStatus(200, exchange);
        assertTrue(exchange.responseText().contains("# TYPE jvm_memory_used_bytes gauge"), exchange::describe);
    }

    @Test
    void livenessIs200() {
        assertStatus(200, management.send(RawRequest.get("/health/live"), SpecCheck.requestAndResponse()));
    }

    @Test
    void readinessIs200WithItsChecksOnAServerThatCanTakeSms() {
        Exchange exchange = management.send(RawRequest.get("/health/ready"), SpecCheck.requestAndResponse());

        assertStatus(200, exchange);
        assertEquals("ready", exchange.responseJson().get("status").asText(), exchange::describe);
    }

    @Test
    void readinessNamesTheNodeThatAnswered() {
        Exchange exchange = management.send(RawRequest.get("/health/ready"), SpecCheck.requestAndResponse());

        assertFalse(exchange.responseJson().path("node").asText().isEmpty(), exchange::describe);
    }

    @Test
    void anUnknownPathIsAProblem404() {
        Exchange exchange = management.send(RawRequest.get("/v1/sms"),
                SpecCheck.responseAs(Request.Method.GET, "/health/live"));

        assertStatus(404, exchange);
    }

    @Test
    void aWrongMethodIsAProblem405WithAllow() {
        Exchange exchange = management.send(RawRequest.post("/health/ready"),
                SpecCheck.responseAs(Request.Method.GET, "/health/ready"));

        assertStatus(405, exchange);
        assertTrue(exchange.responseHeader("Allow").orElse("").contains("GET"), exchange::describe);
    }
}
