/** Claiming due work from storage in batches, as the dispatcher and the webhook sender do. */
package dev.sofy.server.claims;
