package dev.sofy.server.links;

/** A short link of an SMS and how many times it was followed. */
public record TrackedLink(String code, String url, long clicks) {}
