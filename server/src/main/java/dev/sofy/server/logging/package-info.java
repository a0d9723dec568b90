/**
 * Where log lines go and in which format (text or JSON, Logback), and the names of what a log line
 * may carry besides its message, such as the request it is about.
 */
package dev.sofy.server.logging;
