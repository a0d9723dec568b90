package dev.sofy.server.account;

/** A customer account. Its keys see only its own messages. */
public record Account(long id, String name) {}
