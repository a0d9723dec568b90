/** Per-key rate limits, by kind of request, over Bucket4j token buckets. */
package dev.sofy.server.ratelimit;
