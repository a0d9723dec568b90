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
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Binds the routes generated from the spec ({@code SmsRoutes} and the others) to Javalin: each
 * operation on its method and path, with the schemas of its parameters and body found in the spec
 * and compiled once, here, and its answer written with its success status.
 */
final class RouteBinder {

    /** What a route does with a request: read it, and call its handler. */
    @FunctionalInterface
    interface Call {
        CompletionStage<?> answer(Context ctx, OperationRequest request) throws Exception;
    }

    private final JavalinConfig javalin;
    private final SpecSchemas schemas;
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
        HandlerType method = HandlerType.commonHttp().stream()
                .filter(type -> type.name().equals(operation.method()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no HTTP method " + operation));
        // The route carries the timers of its operation, for the request logger to find.
        javalin.routes.addEndpoint(Endpoint.create(method, operation.path())
                .addMetadata(metrics.of(operation, method, new PathParser(operation.path(), javalin.router)))
                .handler(ctx -> respond(ctx, operation.status(),
                        call.answer(ctx, new OperationRequest(ctx, parameterSchemas, bodySchema)))));
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
