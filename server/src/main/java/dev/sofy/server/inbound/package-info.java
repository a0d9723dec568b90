/**
 * Inbound SMS: what handsets send back through a carrier link, which accounts see it, and how an
 * account lists and reads its own. Knows nothing of HTTP nor of SMPP.
 */
package dev.sofy.server.inbound;
