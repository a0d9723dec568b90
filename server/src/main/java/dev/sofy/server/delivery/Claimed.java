package dev.sofy.server.delivery;

import java.time.Instant;

/** A pending SMS this node has claimed for dispatch, with what it takes to submit it. */
public record Claimed(String smsId, String from, String to, String text, int attempts, Instant expiresAt) {}
