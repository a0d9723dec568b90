package dev.sofy.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sofy.server.health.Check;
import dev.sofy.server.health.HealthChecks;
import dev.sofy.server.health.Readiness;
import dev.sofy.server.http.wire.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The operators' listener, as {@code openapi/management.yaml} describes it: Prometheus metrics,
 * liveness and readiness. A Javalin of its own, so that it shares neither the API's keys nor its
 * rate limits. Its three routes are bound here by hand: the API's generated routes answer JSON
 * with one fixed status, and these answer Prometheus text, or 503 with a body.
 */
public final class ManagementApi {
    /** What {@code PrometheusMeterRegistry.scrape()} writes: the text format 0.0.4. */
    static final String PROMETHEUS_MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(2);

    private ManagementApi() {}

    /** The body of both health answers, as the spec's {@code Health} schema; the node only on readiness. */
    record Health(String status, String node, List<CheckBody> checks) {}

    /** A check as the spec's {@code Check} schema. */
    record CheckBody(String name, String status, boolean required, String detail, Long count) {
        static CheckBody of(Check check) {
            return new CheckBody(check.name(), check.up() ? "up" : "down", check.required(), check.detail(), check.count());
        }
    }

    /**
     * @param scrape the metrics in Prometheus text
     * @param nodeId this node's id, which readiness reports: behind a load balancer, which node answered
     */
    public static Javalin create(String host, int port, Supplier<String> scrape, HealthChecks health, String nodeId) {
        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.addConnector((server, http) -> {
                var connector = new ServerConnector(server);
                connector.setHost(host);
                connector.setPort(port);
                return connector;
            });
            javalin.http.prefer405over404 = true;
            javalin.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT.toMillis()));
            Problems.install(javalin);
            javalin.routes.get("/metrics", ctx -> ctx.contentType(PROMETHEUS_MEDIA_TYPE).result(scrape.get()));
            javalin.routes.get("/health/live", ctx -> json(ctx, 200, new Health("live", null, List.of())));
            javalin.routes.get("/health/ready", ctx -> {
                Readiness readiness = health.readiness();
                json(ctx, readiness.ready() ? 200 : 503, new Health(readiness.ready() ? "ready" : "unready", nodeId,
                        readiness.checks().stream().map(CheckBody::of).toList()));
            });
        });
    }

    private static void json(Context ctx, int status, Object body) {
        try {
            // Probes poll: an answer is about now, never from a cache.
            ctx.status(status).header("Cache-Control", "no-store")
                    .contentType(Json.MEDIA_TYPE).result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
