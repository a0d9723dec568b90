package dev.sofy.server.http;

import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jetty.JettyConnectionMetrics;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;

/**
 * Jetty's thread pool and connections ({@code jetty_threads_*}, {@code jetty_connections_*}) in
 * the registry, tagged by listener ({@code api}, {@code management}). micrometer-core's binders:
 * micrometer-jetty12 brings only a request timer and client metrics, and request timing is by
 * operation elsewhere.
 */
public final class JettyMetrics {
    private JettyMetrics() {}

    /** Binds a started server's pool and connectors; connections opened from now on are counted. */
    public static void bind(Javalin started, String listener, MeterRegistry metrics) {
        Tags tags = Tags.of("listener", listener);
        new JettyServerThreadPoolMetrics(started.jettyServer().threadPool(), tags).bindTo(metrics);
        JettyConnectionMetrics.addToAllConnectors(started.jettyServer().server(), metrics, tags);
    }
}
