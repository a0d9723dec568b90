package dev.sofy.server.http;

import dev.sofy.api.SmsApi;
import dev.sofy.server.account.Account;
import dev.sofy.server.account.Authenticator;
import dev.sofy.server.account.Caller;
import dev.sofy.server.ratelimit.Decision;
import dev.sofy.server.ratelimit.Kind;
import dev.sofy.server.ratelimit.RateLimitedException;
import dev.sofy.server.ratelimit.RateLimiter;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.function.LongFunction;

/**
 * Runs before anything else happens to a request: checks the key pair (401, or 429 when the
 * client's address has failed too often), then takes one unit of the key's rate limit (429), and
 * tells the client where it stands in the {@code x-ratelimit-*} headers. A batch of SMS takes its
 * units once it is read ({@link #takeSendUnits}).
 */
final class Authentication implements Handler {
    static final String KEY_ID_HEADER = "X-API-KEY-ID";
    static final String KEY_SECRET_HEADER = "X-API-KEY-SECRET";
    private static final String CALLER = "sofy.caller";
    private static final String SEND_UNITS = "sofy.send-units";

    private final Authenticator authenticator;
    private final RateLimiter limiter;

    Authentication(Authenticator authenticator, RateLimiter limiter) {
        this.authenticator = authenticator;
        this.limiter = limiter;
    }

    @Override
    public void handle(Context ctx) {
        Caller caller = authenticator.authenticate(
                ctx.ip(), ctx.header(KEY_ID_HEADER), ctx.header(KEY_SECRET_HEADER));
        ctx.attribute(CALLER, caller);
        Kind kind = ctx.method() == HandlerType.POST && (ctx.path().equals(SmsApi.CREATE_SMS_PATH)
                || ctx.path().equals(SmsApi.CREATE_SMS_BATCH_PATH)) ? Kind.SEND : Kind.READ;
        int rate = caller.limit(kind);
        limit(ctx, limiter.acquire(caller.keyId(), kind, rate));
        if (kind == Kind.SEND && ctx.path().equals(SmsApi.CREATE_SMS_BATCH_PATH)) {
            // A batch takes as many units as it has SMS: the rest once its body is read.
            ctx.attribute(SEND_UNITS, (LongFunction<Decision>) units -> limiter.acquireRest(caller.keyId(), kind, rate, units));
        }
    }

    /**
     * Takes, for a batch, the units of the key's sending limit beyond the one its request took, so
     * that it takes {@code units} (its SMS) in all, and updates the {@code x-ratelimit-*} headers;
     * 429 when over the limit, and then the batch took nothing.
     */
    static void takeSendUnits(Context ctx, long units) {
        LongFunction<Decision> take = ctx.attribute(SEND_UNITS);
        if (take == null) {
            throw new IllegalStateException("route " + ctx.path() + " is not behind authentication");
        }
        limit(ctx, take.apply(units));
    }

    private static void limit(Context ctx, Decision decision) {
        ctx.header("x-ratelimit-limit", Integer.toString(decision.limit()));
        ctx.header("x-ratelimit-remaining", Long.toString(decision.remaining()));
        ctx.header("x-ratelimit-reset", Long.toString(decision.resetSeconds()));
        if (!decision.allowed()) {
            throw new RateLimitedException(decision);
        }
    }

    static Account account(Context ctx) {
        Caller caller = ctx.attribute(CALLER);
        if (caller == null) {
            throw new IllegalStateException("route " + ctx.path() + " is not behind authentication");
        }
        return caller.account();
    }
}
