package dev.sofy.server.sms;

import java.time.Instant;

/** Which SMS of an account to list, newest first; null fields do not filter. */
public record SmsQuery(int limit, String cursor, Status status, String to, Instant createdFrom, Instant createdTo) {}
