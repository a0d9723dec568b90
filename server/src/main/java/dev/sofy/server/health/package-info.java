/**
 * Whether the server can take SMS: the checks behind the management listener's readiness
 * (database, writer, stopping, carrier links, webhook outbox), as plain values for http to show.
 */
package dev.sofy.server.health;
