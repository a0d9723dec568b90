/** HTTP in and out: the generated interfaces implemented over Javalin, request bodies, authentication and problems. */
package dev.sofy.server.http;
