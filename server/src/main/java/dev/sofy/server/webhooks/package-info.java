/**
 * Signing webhook deliveries the Standard Webhooks 1.0 way, and verifying such signatures.
 * Sending, retrying and storing endpoints are elsewhere.
 */
package dev.sofy.server.webhooks;
