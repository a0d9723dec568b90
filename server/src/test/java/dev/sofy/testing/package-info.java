/**
 * Test helpers for any Sofy server, shared by the server's tests and the conformance suite: the
 * server publishes this package as its test-jar.
 */
package dev.sofy.testing;
