package dev.sofy.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.sofy.api.model.FieldError;
import dev.sofy.api.model.Problem;
import dev.sofy.server.account.AuthenticationException;
import dev.sofy.server.inbound.InboundSmsNotFoundException;
import dev.sofy.server.links.LinkNotFoundException;
import dev.sofy.server.marketing.OptOutNotFoundException;
import dev.sofy.server.ratelimit.AddressLimitedException;
import dev.sofy.server.ratelimit.RateLimitUnavailableException;
import dev.sofy.server.ratelimit.RateLimitedException;
import dev.sofy.server.sms.IdempotencyKeyInUseException;
import dev.sofy.server.sms.SmsNotCancelableException;
import dev.sofy.server.sms.IdempotencyKeyReusedException;
import dev.sofy.server.sms.SmsNotFoundException;
import dev.sofy.server.sms.StorageUnavailableException;
import dev.sofy.server.validation.ValidationException;
import dev.sofy.server.webhooks.TooManyWebhooksException;
import dev.sofy.server.webhooks.WebhookNotFoundException;
import dev.sofy.server.validation.Violation;
import io.javalin.config.JavalinConfig;
import dev.sofy.server.http.wire.Json;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become RFC 9457 problems: domain exceptions, Javalin's own
 * 404/405/413, anything unexpected (a 500 that shows no stack trace), and, through
 * {@link JettyProblems}, what Jetty rejects before Javalin sees it.
 */
final class Problems {
    private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
    private static final int MAX_DETAIL_LENGTH = 2000;
    private static final int MAX_INSTANCE_LENGTH = 2000;
    /** The spec's bound on {@code errors}: a batch of 1,000 SMS can have more bad fields. */
    static final int MAX_ERRORS = 1000;

    private Problems() {}

    static void install(JavalinConfig config) {
        config.routes.exception(ValidationException.class, (e, ctx) -> {
            List<Violation> violations = e.violations();
            respond(ctx, 400, violations.size() <= MAX_ERRORS ? e.getMessage()
                    : e.getMessage() + " The first " + MAX_ERRORS + " are listed.",
                    violations.size() <= MAX_ERRORS ? violations : violations.subList(0, MAX_ERRORS));
        });
        config.routes.exception(AuthenticationException.class,
                (e, ctx) -> respond(ctx, 401, e.getMessage(), List.of()));
        config.routes.exception(SmsNotFoundException.class,
                (e, ctx) -> respond(ctx, 404, e.getMessage(), List.of()));
        config.routes.exception(InboundSmsNotFoundException.class,
                (e, ctx) -> respond(ctx, 404, e.getMessage(), List.of()));
        config.routes.exception(OptOutNotFoundException.class,
                (e, ctx) -> respond(ctx, 404, e.getMessage(), List.of()));
        config.routes.exception(LinkNotFoundException.class,
                (e, ctx) -> respond(ctx, 404, e.getMessage(), List.of()));
        config.routes.exception(WebhookNotFoundException.class,
                (e, ctx) -> respond(ctx, 404, e.getMessage(), List.of()));
        config.routes.exception(TooManyWebhooksException.class,
                (e, ctx) -> respond(ctx, 409, e.getMessage(), List.of()));
        config.routes.exception(SmsNotCancelableException.class,
                (e, ctx) -> respond(ctx, 409, e.getMessage(), List.of()));
        config.routes.exception(IdempotencyKeyInUseException.class,
                (e, ctx) -> respond(ctx, 409, e.getMessage(), List.of()));
        config.routes.exception(IdempotencyKeyReusedException.class,
                (e, ctx) -> respond(ctx, 422, e.getMessage(), List.of()));
        config.routes.exception(RateLimitedException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.decision().resetSeconds()));
            respond(ctx, 429, e.getMessage(), List.of());
        });
        config.routes.exception(AddressLimitedException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            respond(ctx, 429, e.getMessage(), List.of());
        });
        config.routes.exception(StorageUnavailableException.class, (e, ctx) -> {
            RequestIds.logging(ctx, () -> LOG.error("Storage unavailable on {} {}", ctx.method(), ctx.path(), e));
            respond(ctx, 503, e.getMessage() + " Retry with the same Idempotency-Key.", List.of());
        });
        config.routes.exception(RateLimitUnavailableException.class, (e, ctx) -> {
            RequestIds.logging(ctx, () -> LOG.error("Rate limits unavailable on {} {}", ctx.method(), ctx.path(), e));
            respond(ctx, 503, e.getMessage(), List.of());
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            if (e.getStatus() == 405) {
                // Javalin lists the methods the path has as the only detail.
                e.getDetails().values().stream().findFirst().ifPresent(methods -> ctx.header("Allow", methods));
            }
            respond(ctx, e.getStatus(), e.getMessage(), List.of());
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            RequestIds.logging(ctx, () -> LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e));
            respond(ctx, 500, "An unexpected error occurred. It has been logged.", List.of());
        });
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyProblems()));
    }

    private static void respond(Context ctx, int status, String detail, List<Violation> violations) {
        ctx.status(status)
                .contentType(Json.PROBLEM_MEDIA_TYPE)
                .result(json(status, detail, ctx.path(), RequestIds.of(ctx), violations));
    }

    /** The problem document for a status, shared with {@link JettyProblems}. */
    static byte[] json(int status, String detail, String instance, String requestId, List<Violation> violations) {
        var problem = new Problem("about:blank", title(status), status);
        if (detail != null && !detail.isBlank()) {
            problem.detail(clip(detail, MAX_DETAIL_LENGTH));
        }
        if (instance != null) {
            problem.instance(clip(instance, MAX_INSTANCE_LENGTH));
        }
        problem.requestId(requestId);
        // The generated model starts with an empty list; absent is what the spec shows for non-validation problems.
        problem.setErrors(violations.isEmpty() ? null
                : violations.stream().map(v -> new FieldError(v.field(), v.message())).toList());
        try {
            return Json.MAPPER.writeValueAsBytes(problem);
        } catch (JsonProcessingException e) {
            return ("{\"type\":\"about:blank\",\"title\":\"" + title(status) + "\",\"status\":" + status + "}")
                    .getBytes(StandardCharsets.UTF_8);
        }
    }

    private static String title(int status) {
        HttpStatus known = HttpStatus.forStatus(status);
        return known == HttpStatus.UNKNOWN ? "Error " + status : known.getMessage();
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
