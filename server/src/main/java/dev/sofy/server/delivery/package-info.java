/** Carrying SMS to their recipients: dispatch, the carrier connectors and delivery receipts. */
package dev.sofy.server.delivery;
