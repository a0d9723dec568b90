/** The server's settings, read once from SOFY_* environment variables into an immutable record. */
package dev.sofy.server.config;
