/** Rate limits over Bucket4j token buckets: per key and kind of request, and per client address. */
package dev.sofy.server.ratelimit;
