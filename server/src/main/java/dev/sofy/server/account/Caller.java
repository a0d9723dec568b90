package dev.sofy.server.account;

import dev.sofy.server.ratelimit.Kind;

/** Who makes a request: the key that authenticated it, its account, and its limits. */
public record Caller(String keyId, Account account, int sendPerSecond, int readPerSecond) {
    public int limit(Kind kind) {
        return kind == Kind.SEND ? sendPerSecond : readPerSecond;
    }
}
