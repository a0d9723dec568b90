/**
 * Which carriers may take an SMS, in order of preference: routes matched on the recipient's
 * prefix, the account and the sender, the first match winning. Pure: no I/O.
 */
package dev.sofy.server.routing;
