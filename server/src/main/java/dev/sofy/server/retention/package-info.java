/**
 * Data retention: the SMS whose final status is older than {@code SOFY_RETENTION_DAYS}, and the
 * inbound SMS received before then, are deleted with every row about them.
 */
package dev.sofy.server.retention;
