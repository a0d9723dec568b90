/**
 * The server's entry points: the command line ({@link dev.sofy.server.Main}) and the wiring
 * ({@link dev.sofy.server.App}, with the choice of carrier connector in {@code Carriers}).
 */
package dev.sofy.server;
