/**
 * Short links for SMS bodies: finding http(s) URLs and replacing each with a shorter
 * {@code <base>/r/<code>} link. Pure text work: storing the codes and redirecting are elsewhere.
 */
package dev.sofy.server.links;
