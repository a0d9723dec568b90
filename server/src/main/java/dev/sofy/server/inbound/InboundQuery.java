package dev.sofy.server.inbound;

import java.time.Instant;

/** Which inbound SMS of an account to list, newest first; null fields do not filter. */
public record InboundQuery(int limit, String cursor, String from, String to, Instant receivedFrom, Instant receivedTo) {}
