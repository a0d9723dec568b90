package dev.sofy.server.sms;

import java.time.Instant;

/** A client's Idempotency-Key as remembered: the fingerprint of its request and the SMS it created. */
public record IdempotencyKey(String key, String requestSha256, String smsId, Instant createdAt) {}
