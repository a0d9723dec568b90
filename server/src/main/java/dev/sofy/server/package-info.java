/** The server's entry points: the command line ({@link dev.sofy.server.Main}) and the wiring ({@link dev.sofy.server.App}). */
package dev.sofy.server;
