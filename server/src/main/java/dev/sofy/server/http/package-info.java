/**
 * HTTP in and out: the routes generated from the spec, bound to the generated interfaces' handlers;
 * reading requests against the spec, authentication, and problems.
 */
package dev.sofy.server.http;
