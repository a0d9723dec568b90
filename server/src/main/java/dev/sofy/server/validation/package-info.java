/** What makes a request invalid, shared by the HTTP layer (schema) and the domain (business rules). */
package dev.sofy.server.validation;
