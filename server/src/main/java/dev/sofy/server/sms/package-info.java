/** The SMS domain: taking messages in, the rules they must follow, and their lifecycle. Knows nothing of HTTP. */
package dev.sofy.server.sms;
