package dev.sofy.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sofy.server.http.wire.Json;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The management listener of a real server: metrics, health, and problems, with no key. */
final class ManagementApiTest {
    private static final String NODE_ID = "management-test-node";
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(Map.of("SOFY_NODE_ID", NODE_ID));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return server.send(HttpRequest.newBuilder(server.managementUri().resolve(path)).GET().build());
    }

    @Test
    void theManagementListenerHasAPortOfItsOwn() {
        assertNotEquals(server.port(), server.managementUri().getPort());
    }

    @Test
    void livenessAnswers200WithoutAKey() throws Exception {
        HttpResponse<String> response = get("/health/live");
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("live", Json.MAPPER.readTree(response.body()).get("status").asText());
    }

    @Test
    void aServerWithItsDatabaseAndWriterUpIsReadyAndListsItsChecks() throws Exception {
        HttpResponse<String> response = get("/health/ready");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals("ready", body.get("status").asText());
        List<String> names = new ArrayList<>();
        body.get("checks").forEach(check -> names.add(check.get("name").asText()));
        assertEquals(List.of("stopping", "database", "writer", "webhookOutbox"),
                names.stream().filter(name -> !name.startsWith("carrier:")).toList(), response.body());
        assertTrue(names.contains("carrier:simulator"), response.body());
    }

    @Test
    void readinessNamesTheNodeThatAnswered() throws Exception {
        JsonNode body = Json.MAPPER.readTree(get("/health/ready").body());
        assertEquals(NODE_ID, body.path("node").asText(), body.toString());
    }

    @Test
    void metricsAreInPrometheusTextWithJvmPoolAndJettySeries() throws Exception {
        get("/health/live");
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                response.headers().toString());
        for (String series : List.of("jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads",
                "jvm_classes_loaded_classes", "system_cpu_count", "process_uptime_seconds",
                "hikaricp_connections_active", "jetty_threads_current", "jetty_connections_")) {
            assertTrue(response.body().contains(series), series + " in " + response.body().lines().count() + " lines");
        }
    }

    @Test
    void anUnknownPathIsAProblem404() throws Exception {
        HttpResponse<String> response = get("/v1/sms");
        assertEquals(404, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, Json.MAPPER.readTree(response.body()).get("status").asInt());
    }

    @Test
    void anUnknownMethodIsAProblem405NamingTheAllowedOne() throws Exception {
        HttpResponse<String> response = server.send(HttpRequest.newBuilder(server.managementUri().resolve("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, response.statusCode());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        assertTrue(response.headers().firstValue("Allow").orElse("").contains("GET"), response.headers().toString());
    }
}
