package dev.sofy.server.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.EndpointMetadata;
import io.javalin.router.matcher.PathParser;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code http_server_requests_seconds}: how long each request took, as a histogram, by the spec's
 * {@code operation} id (not the path, which holds ids), {@code method} and {@code status}. Recorded
 * in one place, once the answer is complete, so that problems (a 401 before the route, a 404, a
 * 500) count with their status; a request that matched no operation counts as {@value #NONE}.
 * A request refused before its route ran (authentication, rate limits) has no matched route in
 * Javalin: its operation is found by matching its path against the operations' paths.
 * Timers are made once for each operation and status, and then only looked up by index.
 */
final class RequestMetrics {
    static final String NONE = "none";
    private static final int STATUSES = 600;

    private final MeterRegistry registry;
    /** Unmatched requests by method: the common ones, and any other method as one ({@code OTHER}). */
    private final Map<HandlerType, Timers> unmatched;
    private final Timers unmatchedOther;
    /** The operations' routes, for requests refused before theirs ran. */
    private final List<Route> routes = new CopyOnWriteArrayList<>();

    private record Route(HandlerType method, PathParser path, Timers timers) {}

    /** The timers of one operation by status, attached to its route. */
    final class Timers implements EndpointMetadata {
        private final String operation;
        private final String method;
        private final AtomicReferenceArray<Timer> byStatus = new AtomicReferenceArray<>(STATUSES);

        private Timers(String operation, String method) {
            this.operation = operation;
            this.method = method;
        }

        void record(int status, long nanos) {
            int index = status >= 0 && status < STATUSES ? status : 0;
            Timer timer = byStatus.get(index);
            if (timer == null) {
                // Registering again returns the same timer: a race only costs a second lookup.
                timer = timer(operation, method, index);
                byStatus.set(index, timer);
            }
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
        Map<HandlerType, Timers> byMethod = new HashMap<>();
        for (HandlerType method : HandlerType.commonHttp()) {
            byMethod.put(method, new Timers(NONE, method.name()));
        }
        this.unmatched = Map.copyOf(byMethod);
        this.unmatchedOther = new Timers(NONE, "OTHER");
    }

    /** The timers of an operation, to attach to its route at {@code path}. */
    Timers of(Operation operation, HandlerType method, PathParser path) {
        var timers = new Timers(operation.id(), operation.method());
        routes.add(new Route(method, path, timers));
        return timers;
    }

    /** For Javalin's request logger: called once a request was answered, with how long it took. */
    void record(Context ctx, Float millis) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        Timers timers = matched == null ? null : matched.metadata(Timers.class);
        if (timers == null) {
            timers = refusedBeforeItsRoute(ctx);
        }
        timers.record(ctx.statusCode(), (long) (millis * 1_000_000L));
    }

    private Timers refusedBeforeItsRoute(Context ctx) {
        HandlerType method = ctx.method();
        String path = ctx.path();
        for (Route route : routes) {
            if (route.method().equals(method) && route.path().matches(path)) {
                return route.timers();
            }
        }
        return unmatched.getOrDefault(method, unmatchedOther);
    }

    private Timer timer(String operation, String method, int status) {
        return Timer.builder("http.server.requests")
                .description("HTTP requests to the API, by operation, method and status")
                .tag("operation", operation)
                .tag("method", method)
                .tag("status", Integer.toString(status))
                .publishPercentileHistogram()
                // Fewer buckets than the default up to 30 s: answers take milliseconds, a slow one seconds.
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }
}
