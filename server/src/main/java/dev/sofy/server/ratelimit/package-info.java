/**
 * Rate limits over Bucket4j token buckets: per key and kind of request, and per client address,
 * such as its failed authentications, which are also reported in aggregate.
 */
package dev.sofy.server.ratelimit;
