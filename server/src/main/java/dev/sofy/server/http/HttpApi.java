package dev.sofy.server.http;

import dev.sofy.server.account.Authenticator;
import dev.sofy.server.config.Config;
import dev.sofy.server.ratelimit.RateLimiter;
import dev.sofy.server.inbound.InboundService;
import dev.sofy.server.links.LinkService;
import dev.sofy.server.marketing.OptOutService;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.webhooks.WebhookService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import dev.sofy.server.http.wire.Json;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.MeterRegistry;
import dev.sofy.server.logging.LogContext;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.MDC;

/**
 * The HTTP server: the routes generated from {@code openapi/sofy.yaml}, one call a tag, bound to
 * their handlers, behind authentication (for {@code /v1}) and the problem mappers, on Jetty with
 * its limits.
 */
public final class HttpApi {
    /**
     * Request bodies larger than this are refused with 413, as the spec says, unless the operation
     * declares a larger limit ({@code x-sofy-max-body-bytes}: a batch of SMS).
     */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** Most answers are well under 1 KiB; larger ones are copied in several chunks. */
    private static final int RESPONSE_COPY_BUFFER_BYTES = 4 * 1024;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final String AUTHENTICATED_PATHS = "/v1/*";

    private HttpApi() {}

    /** What the routes call. {@code publicUrl} is where the server is reached from outside, once it listens. */
    public record Services(Authenticator authenticator, RateLimiter limiter, SmsService sms, WebhookService webhooks,
                           OptOutService optOuts, LinkService links, InboundService inbound,
                           Supplier<String> publicUrl, MeterRegistry metrics) {}

    public static Javalin create(Config config, Services services) {
        var schemas = new SpecSchemas();
        var requestMetrics = new RequestMetrics(services.metrics());
        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            // Javalin's connector, but with connections that remember a request line Jetty refuses.
            javalin.jetty.addConnector((server, http) -> {
                var connector = new ServerConnector(server, new RequestLines(http));
                connector.setHost(config.host());
                connector.setPort(config.port());
                return connector;
            });
            // Each route reads its body up to its own limit; this is Javalin's, for the largest.
            javalin.http.maxRequestSize = schemas.largestBodyBytes(MAX_BODY_BYTES);
            javalin.http.prefer405over404 = true;
            // Javalin copies each answer to Jetty through a buffer of this size, allocated per
            // request; left unset it is Jetty's 32 KiB, a third of what ingest allocates.
            javalin.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
            // Gzip as by default; naming what is served spares each answer a scan of the excluded types.
            var compression = new CompressionStrategy(null, new Gzip());
            // The reference page's script is 1.7 MB, a third of that gzipped.
            compression.setAllowedMimeTypes(List.of(Json.MEDIA_TYPE, Json.PROBLEM_MEDIA_TYPE,
                    "application/yaml", "text/html", "text/css", "text/javascript"));
            javalin.http.compressionStrategy = compression;
            // Stopping waits for the requests in flight (an SMS waiting for its commit) to be
            // answered, up to a bound, rather than dropping them. Javalin nests its handler inside.
            javalin.jetty.modifyServer(server -> {
                server.setHandler(new RequestScopedLogging());
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                server.addBean(new ConnectionCap(config.clients().maxConnections(), server));
                server.addBean(new HeaderDeadline(server, config.clients().requestHeaderTimeout()));
            });
            javalin.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            Problems.install(javalin);
            // Once every request is answered, whatever answered it: routes, problem mappers, 404s.
            javalin.requestLogger.http(requestMetrics::record);

            // First of all, so that every answer carries its id, refusals of authentication included.
            javalin.routes.before(new RequestIds());
            // Every path of the API's first version needs a key, whether it exists or not: a
            // client without one learns nothing of which do.
            javalin.routes.before(AUTHENTICATED_PATHS, new Authentication(services.authenticator(), services.limiter()));
            var routes = new RouteBinder(javalin, schemas, requestMetrics);
            SmsRoutes.bind(routes, new SmsHandler(services.sms(), services.publicUrl()));
            WebhooksRoutes.bind(routes, new WebhooksHandler(services.webhooks()));
            OptOutsRoutes.bind(routes, new OptOutsHandler(services.optOuts()));
            InboundSmsRoutes.bind(routes, new InboundSmsHandler(services.inbound()));
            LinksRoutes.bind(routes, new LinksHandler(services.links()));
            ReferenceRoutes.bind(routes, new ReferenceHandler());
        });
    }

    /**
     * Stops waiting for requests in flight, and forgets the request id a request's thread put in
     * the MDC once that thread is done with it, so that no later line of the thread names it.
     */
    private static final class RequestScopedLogging extends GracefulHandler {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            try {
                return super.handle(request, response, callback);
            } finally {
                MDC.remove(LogContext.REQUEST_ID);
            }
        }
    }
}
