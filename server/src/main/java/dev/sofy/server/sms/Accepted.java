package dev.sofy.server.sms;

/** An SMS taken in: just now, or earlier by a request with the same idempotency key ({@code replayed}). */
public record Accepted(Message message, boolean replayed) {}
