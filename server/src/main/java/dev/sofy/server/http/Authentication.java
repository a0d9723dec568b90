package dev.sofy.server.http;

import dev.sofy.server.account.Account;
import dev.sofy.server.account.KeyService;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/** Checks the key pair before anything else happens to a request, and remembers its account. */
final class Authentication implements Handler {
    static final String KEY_ID_HEADER = "X-API-KEY-ID";
    static final String KEY_SECRET_HEADER = "X-API-KEY-SECRET";
    private static final String ACCOUNT = "sofy.account";

    private final KeyService keys;

    Authentication(KeyService keys) {
        this.keys = keys;
    }

    @Override
    public void handle(Context ctx) {
        ctx.attribute(ACCOUNT, keys.authenticate(ctx.header(KEY_ID_HEADER), ctx.header(KEY_SECRET_HEADER)));
    }

    static Account account(Context ctx) {
        Account account = ctx.attribute(ACCOUNT);
        if (account == null) {
            throw new IllegalStateException("route " + ctx.path() + " is not behind authentication");
        }
        return account;
    }
}
