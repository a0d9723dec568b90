/** What the meters need beyond Micrometer: gauges of values read from storage, at a bounded cost. */
package dev.sofy.server.metrics;
