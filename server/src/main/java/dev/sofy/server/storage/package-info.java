/** The stores of the domain over JDBI, the connection pool and the schema migrations (H2 or PostgreSQL). */
package dev.sofy.server.storage;
