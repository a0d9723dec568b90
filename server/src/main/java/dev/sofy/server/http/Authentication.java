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

/**
 * Runs before anything else happens to a request: checks the key pair (401, or 429 when the
 * client's address has failed too often), then takes one unit of the key's rate limit (429), and
 * tells the client where it stands in the {@code x-ratelimit-*} headers.
 */
final class Authentication implements Handler {
    static final String KEY_ID_HEADER = "X-API-KEY-ID";
    static final String KEY_SECRET_HEADER = "X-API-KEY-SECRET";
    private static final String CALLER = "sofy.caller";

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
        Kind kind = ctx.method() == HandlerType.POST && ctx.path().equals(SmsApi.CREATE_SMS_PATH) ? Kind.SEND : Kind.READ;
        Decision decision = limiter.acquire(caller.keyId(), kind, caller.limit(kind));
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
