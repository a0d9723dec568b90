/**
 * The mapping between the domain and the spec's generated model, for HTTP answers and webhook
 * payloads alike, and the one JSON mapper. Imports the domain; the domain never imports it.
 */
package dev.sofy.server.http.wire;
