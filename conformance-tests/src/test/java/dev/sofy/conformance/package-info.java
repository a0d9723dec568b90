/**
 * The conformance suite: it knows nothing but a base URL, API keys and {@code openapi/sofy.yaml},
 * and checks every exchange it makes against that spec. It starts a server in-process unless
 * {@code SOFY_BASE_URL} and a key pair name another one.
 */
package dev.sofy.conformance;
