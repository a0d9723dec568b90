/**
 * The SMPP carrier connector, over jsmpp, and the built-in SMSC simulator it binds to when no
 * SMSC is configured.
 */
package dev.sofy.server.delivery.smpp;
