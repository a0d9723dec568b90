/**
 * Carrying SMS to their recipients: dispatch, what a carrier connector must do, and delivery
 * receipts. Connectors ({@code delivery.smpp}) implement it; the wiring chooses one.
 */
package dev.sofy.server.delivery;
