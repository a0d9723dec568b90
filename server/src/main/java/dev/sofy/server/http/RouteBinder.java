package dev.sofy.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.networknt.schema.Schema;
import dev.sofy.server.http.wire.Json;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.matcher.PathParser;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;

/**
 * Binds the routes generated from the spec ({@code SmsRoutes} and the others) to Javalin: each
 * operation on its method and path, with the schemas of its parameters and body found in the spec
 * and compiled once, here, and its answer written with its success status, as JSON or, when the
 * spec declares another media type, as the bytes or text the handler returns.
 */
final class RouteBinder {

    /** What a route does with a request: read it, and call its handler. */
    @FunctionalInterface
    interface Call {
        CompletionStage<?> answer(Context ctx, OperationRequest request) throws Exception;
    }

    /** Requests with bodies over the server's default limit (batches) taken at once. */
    static final int LARGE_BODIES_AT_ONCE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final Duration LARGE_BODY_WAIT = Duration.ofSeconds(30);

    private final JavalinConfig javalin;
    private final SpecSchemas schemas;
    /** The GET of each path, whose media types its HEAD answers with. */
    private final Map<String, Operation> gets = new HashMap<>();
    private final RequestMetrics metrics;

    RouteBinder(JavalinConfig javalin, SpecSchemas schemas, RequestMetrics metrics) {
        this.javalin = javalin;
        this.schemas = schemas;
        this.metrics = metrics;
    }

    void bind(Operation operation, Call call) {
        Map<Operation.Parameter, Schema> parameterSchemas = new HashMap<>();
        for (Operation.Parameter parameter : operation.parameters()) {
            if (!parameter.in().equals("path")) {
                parameterSchemas.put(parameter,
                        schemas.parameter(operation.method(), operation.path(), parameter.in(), parameter.name()));
            }
        }
        Schema bodySchema = operation.body() == null ? null : schemas.body(operation.method(), operation.path());
        long maxBodyBytes = schemas.maxBodyBytes(operation.method(), operation.path(), HttpApi.MAX_BODY_BYTES);
        HandlerType method = HandlerType.commonHttp().stream()
                .filter(type -> type.name().equals(operation.method()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no HTTP method " + operation));
        if (method == HandlerType.GET) {
            gets.put(operation.path(), operation);
        }
        Semaphore large = maxBodyBytes > HttpApi.MAX_BODY_BYTES ? new Semaphore(LARGE_BODIES_AT_ONCE, true) : null;
        // The route carries the timers of its operation, for the request logger to find.
        javalin.routes.addEndpoint(Endpoint.create(method, operation.path())
                .addMetadata(metrics.of(operation, method, new PathParser(operation.path(), javalin.router)))
                .handler(ctx -> {
                    Call answer = large == null ? call : bounded(call, large);
                    respond(ctx, answering(operation),
                            answer.answer(ctx, new OperationRequest(ctx, parameterSchemas, bodySchema, maxBodyBytes)));
                }));
    }

    /**
     * The call, taken by at most as many requests at once as {@code permits} has, from reading the
     * body to the answer: a 4 MiB body becomes several times that as JSON nodes and models, and
     * stays until its SMS are committed, so memory is bounded by the permits, not the connections.
     * A request that waits too long is answered 503.
     */
    private static Call bounded(Call call, Semaphore permits) {
        return (ctx, request) -> {
            if (!permits.tryAcquire(LARGE_BODY_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new HttpResponseException(HttpStatus.SERVICE_UNAVAILABLE.getCode(),
                        "The server is taking in as many large requests as it can; retry in a moment.");
            }
            CompletionStage<?> answer;
            try {
                answer = call.answer(ctx, request);
            } catch (Exception | Error e) {
                permits.release();
                throw e;
            }
            return answer.whenComplete((result, failure) -> permits.release());
        };
    }

    /** The operation whose answer this one gives: a HEAD's is its GET's, without the body. */
    private Operation answering(Operation operation) {
        return operation.method().equals("HEAD") ? gets.getOrDefault(operation.path(), operation) : operation;
    }

    /**
     * Answers with the body once the operation completes, without holding a thread meanwhile;
     * a failure goes to the problem mappers like a thrown exception.
     */
    private static void respond(Context ctx, Operation operation, CompletionStage<?> body) {
        ctx.future(() -> body.toCompletableFuture().thenAccept(result -> {
            if (result == null) {
                ctx.status(operation.status());
                return;
            }
            String mediaType = mediaType(ctx, operation);
            ctx.status(operation.status()).contentType(mediaType).result(bytes(result, mediaType));
        }));
    }

    /**
     * The media type of the answer: the one the spec declares, or, where it declares several,
     * the one the handler chose ({@code ctx.contentType}), which must be among them.
     */
    private static String mediaType(Context ctx, Operation operation) {
        List<String> declared = operation.produces();
        if (declared.size() <= 1) {
            return declared.isEmpty() ? Json.MEDIA_TYPE : declared.get(0);
        }
        String chosen = ctx.res().getContentType();
        if (chosen == null || !declared.contains(chosen.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException(operation + " answers one of " + declared + ", not " + chosen);
        }
        return chosen;
    }

    /** JSON media types get the result as JSON; others get it as it is, bytes or UTF-8 text. */
    private static byte[] bytes(Object result, String mediaType) {
        String type = mediaType.split(";", 2)[0].strip();
        if (!type.equals(Json.MEDIA_TYPE) && !type.endsWith("+json")) {
            if (result instanceof byte[] raw) {
                return raw;
            }
            if (result instanceof String text) {
                return text.getBytes(StandardCharsets.UTF_8);
            }
            throw new IllegalStateException("a " + type + " answer must be bytes or text, not " + result.getClass());
        }
        try {
            return Json.MAPPER.writeValueAsBytes(result);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
