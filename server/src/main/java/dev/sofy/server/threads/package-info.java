/** The threads the server starts for itself. */
package dev.sofy.server.threads;
