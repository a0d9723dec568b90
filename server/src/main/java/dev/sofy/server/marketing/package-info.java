/**
 * The French rules for marketing SMS: which numbers they cover, the opt-out mention, and the
 * sending window with its public holidays. Pure domain code: no HTTP, no storage.
 */
package dev.sofy.server.marketing;
