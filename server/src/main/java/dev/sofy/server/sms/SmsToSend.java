package dev.sofy.server.sms;

/**
 * An SMS a client asks to send, as it asked: {@code to} as written, not yet read as a number, and
 * the flags with their defaults applied. When a request was refused for its structure, the fields
 * it got wrong are null here, so that the rules can still report on the others.
 */
public record SmsToSend(String from, String to, String body, boolean shortenUrls, boolean transactional) {}
