/** The spec's resources as the server shows them, in HTTP answers and webhook events, and the JSON mapper. */
package dev.sofy.server.resources;
