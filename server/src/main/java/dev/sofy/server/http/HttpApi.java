package dev.sofy.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sofy.api.LinksApi;
import dev.sofy.api.OptOutsApi;
import dev.sofy.api.SmsApi;
import dev.sofy.api.WebhooksApi;
import dev.sofy.api.model.OptOutCreateRequest;
import dev.sofy.api.model.SmsCreateRequest;
import dev.sofy.api.model.SmsStatus;
import dev.sofy.api.model.WebhookCreateRequest;
import dev.sofy.server.account.Authenticator;
import dev.sofy.server.config.Config;
import dev.sofy.server.ratelimit.RateLimiter;
import dev.sofy.server.links.LinkService;
import dev.sofy.server.marketing.OptOutService;
import dev.sofy.server.sms.SmsService;
import dev.sofy.server.webhooks.WebhookService;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.config.JavalinConfig;
import dev.sofy.server.http.wire.Json;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.json.JavalinJackson;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.eclipse.jetty.server.handler.GracefulHandler;

/** The HTTP server: the routes of {@code openapi/sofy.yaml}, bound to their handlers. */
public final class HttpApi {
    /** Request bodies larger than this are refused with 413, as the spec says. */
    public static final long MAX_BODY_BYTES = 64 * 1024;
    /** Most answers are well under 1 KiB; larger ones are copied in several chunks. */
    private static final int RESPONSE_COPY_BUFFER_BYTES = 4 * 1024;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

    private HttpApi() {}

    /** What the routes call. {@code publicUrl} is where the server is reached from outside, once it listens. */
    public record Services(Authenticator authenticator, RateLimiter limiter, SmsService sms, WebhookService webhooks,
                           OptOutService optOuts, LinkService links, Supplier<String> publicUrl) {}

    public static Javalin create(Config config, Services services) {
        var schemas = new SpecSchemas(List.of(
                SpecSchemas.bodySchema(SmsCreateRequest.class),
                SpecSchemas.bodySchema(WebhookCreateRequest.class),
                SpecSchemas.bodySchema(OptOutCreateRequest.class),
                SpecSchemas.parameterSchema("OptOutLimit"),
                SpecSchemas.parameterSchema("OptOutCursor"),
                SpecSchemas.parameterSchema("Limit"),
                SpecSchemas.parameterSchema("Cursor"),
                SpecSchemas.parameterSchema("StatusFilter"),
                SpecSchemas.parameterSchema("ToFilter"),
                SpecSchemas.parameterSchema("CreatedFrom"),
                SpecSchemas.parameterSchema("CreatedTo")));
        var bodies = new RequestBodies(schemas);
        SmsService sms = services.sms();
        var smsHandler = new SmsHandler(sms, services.publicUrl());
        var webhooksHandler = new WebhooksHandler(services.webhooks());
        var optOutsHandler = new OptOutsHandler(services.optOuts());
        var linksHandler = new LinksHandler(services.links());
        return Javalin.create(javalin -> {
            javalin.startup.showJavalinBanner = false;
            javalin.startup.showOldJavalinVersionWarning = false;
            javalin.jetty.host = config.host();
            javalin.jetty.port = config.port();
            javalin.http.maxRequestSize = MAX_BODY_BYTES;
            javalin.http.prefer405over404 = true;
            // Javalin copies each answer to Jetty through a buffer of this size, allocated per
            // request; left unset it is Jetty's 32 KiB, a third of what ingest allocates.
            javalin.http.responseBufferSize = RESPONSE_COPY_BUFFER_BYTES;
            // Gzip as by default; naming what is served spares each answer a scan of the excluded types.
            var compression = new CompressionStrategy(null, new Gzip());
            compression.setAllowedMimeTypes(List.of(Json.MEDIA_TYPE, Json.PROBLEM_MEDIA_TYPE));
            javalin.http.compressionStrategy = compression;
            // Stopping waits for the requests in flight (an SMS waiting for its commit) to be
            // answered, up to a bound, rather than dropping them. Javalin nests its handler inside.
            javalin.jetty.modifyServer(server -> {
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                server.addBean(new ConnectionCap(config.clients().maxConnections(), server));
                server.addBean(new HeaderDeadline(server, config.clients().requestHeaderTimeout()));
            });
            javalin.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            Problems.install(javalin);

            javalin.routes.before("/v1/*", new Authentication(services.authenticator(), services.limiter()));
            javalin.routes.post(SmsApi.CREATE_SMS_PATH, ctx -> {
                String idempotencyKey = ctx.header("Idempotency-Key");
                SmsCreateRequest request = bodies.read(ctx, SmsCreateRequest.class, r -> smsHandler.violations(r, idempotencyKey));
                respond(ctx, SmsApi.CREATE_SMS_STATUS, smsHandler.createSms(ctx, request, idempotencyKey));
            });
            get(javalin, SmsApi.LIST_SMS_PATH, ctx -> {
                var query = new QueryParameters(schemas, ctx);
                Integer limit = query.integer("limit", "Limit");
                String cursor = query.text("cursor", "Cursor", String.class);
                SmsStatus status = query.text("status", "StatusFilter", SmsStatus.class);
                String to = query.text("to", "ToFilter", String.class);
                OffsetDateTime createdFrom = query.text("createdFrom", "CreatedFrom", OffsetDateTime.class);
                OffsetDateTime createdTo = query.text("createdTo", "CreatedTo", OffsetDateTime.class);
                query.check();
                respond(ctx, SmsApi.LIST_SMS_STATUS, smsHandler.listSms(ctx, limit, cursor, status, to, createdFrom, createdTo));
            });
            get(javalin, SmsApi.GET_SMS_PATH, ctx -> respond(ctx, SmsApi.GET_SMS_STATUS,
                    smsHandler.getSms(ctx, ctx.pathParam("id"))));

            javalin.routes.post(WebhooksApi.CREATE_WEBHOOK_PATH, ctx -> respond(ctx, WebhooksApi.CREATE_WEBHOOK_STATUS,
                    webhooksHandler.createWebhook(ctx, bodies.read(ctx, WebhookCreateRequest.class, request -> List.of()))));
            get(javalin, WebhooksApi.LIST_WEBHOOKS_PATH, ctx -> respond(ctx, WebhooksApi.LIST_WEBHOOKS_STATUS,
                    webhooksHandler.listWebhooks(ctx)));
            javalin.routes.delete(WebhooksApi.DELETE_WEBHOOK_PATH, ctx -> respond(ctx, WebhooksApi.DELETE_WEBHOOK_STATUS,
                    webhooksHandler.deleteWebhook(ctx, ctx.pathParam("id"))));

            javalin.routes.post(OptOutsApi.CREATE_OPT_OUT_PATH, ctx -> respond(ctx, OptOutsApi.CREATE_OPT_OUT_STATUS,
                    optOutsHandler.createOptOut(ctx, bodies.read(ctx, OptOutCreateRequest.class, request -> List.of()))));
            get(javalin, OptOutsApi.LIST_OPT_OUTS_PATH, ctx -> {
                var query = new QueryParameters(schemas, ctx);
                Integer limit = query.integer("limit", "OptOutLimit");
                String cursor = query.text("cursor", "OptOutCursor", String.class);
                query.check();
                respond(ctx, OptOutsApi.LIST_OPT_OUTS_STATUS, optOutsHandler.listOptOuts(ctx, limit, cursor));
            });
            javalin.routes.delete(OptOutsApi.DELETE_OPT_OUT_PATH, ctx -> respond(ctx, OptOutsApi.DELETE_OPT_OUT_STATUS,
                    optOutsHandler.deleteOptOut(ctx, ctx.pathParam("number"))));

            get(javalin, LinksApi.FOLLOW_LINK_PATH, ctx -> respond(ctx, LinksHandler.FOLLOW_LINK_STATUS,
                    linksHandler.followLink(ctx, ctx.pathParam("code"))));
        });
    }

    /** A GET route; HEAD on it answers as GET does, without the body. */
    private static void get(JavalinConfig javalin, String path, Handler handler) {
        javalin.routes.get(path, handler);
        javalin.routes.head(path, handler);
    }

    /**
     * Answers with the body once the operation completes, without holding a thread meanwhile;
     * a failure goes to the problem mappers like a thrown exception.
     */
    private static void respond(Context ctx, int status, CompletionStage<?> body) {
        ctx.future(() -> body.toCompletableFuture().thenAccept(result -> {
            if (result == null) {
                ctx.status(status);
                return;
            }
            try {
                ctx.status(status).contentType(Json.MEDIA_TYPE).result(Json.MAPPER.writeValueAsBytes(result));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }
}
