/**
 * Phone numbers: reading what clients write as international numbers, checking them with
 * libphonenumber, and the region each is valid in. Used by the SMS and marketing rules alike.
 */
package dev.sofy.server.numbers;
