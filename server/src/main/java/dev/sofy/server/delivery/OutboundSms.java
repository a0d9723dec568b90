package dev.sofy.server.delivery;

/**
 * An SMS as handed to a carrier: the text actually sent (after link shortening and any
 * opt-out mention), with the encoding and parts it needs.
 */
public record OutboundSms(String smsId, String from, String to, String text) {}
