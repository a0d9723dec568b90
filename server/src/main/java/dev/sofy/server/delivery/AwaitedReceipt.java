package dev.sofy.server.delivery;

/** A part a carrier took whose receipt has not come: what asking the carrier about it takes. */
public record AwaitedReceipt(String smsId, int partNumber, String carrier, String carrierMessageId, String from) {}
