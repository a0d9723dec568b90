package dev.sofy.server.ratelimit;

/**
 * Whether a request may go ahead, with what the rate-limit headers say: the limit, what is left,
 * and the seconds until a unit is reclaimed (and, when refused, until the request can succeed).
 */
public record Decision(boolean allowed, Kind kind, int limit, long remaining, long resetSeconds) {}
