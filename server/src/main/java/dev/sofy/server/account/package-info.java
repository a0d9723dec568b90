/** Accounts and their API keys: creating keys, and checking the key pair of each request. */
package dev.sofy.server.account;
