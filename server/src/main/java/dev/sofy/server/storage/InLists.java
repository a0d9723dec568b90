package dev.sofy.server.storage;

import java.util.ArrayList;
import java.util.List;

/**
 * The values of an {@code IN (<list>)} padded to a few lengths. JDBI parses each SQL text it has
 * not seen, and an IN list of n values is a text of its own for each n: with lists of any length
 * up to a thousand its cache misses and the parse of a long statement is redone on every call.
 * Padded to the next power of two with the last value repeated, a query has a dozen texts, each
 * parsed once; a value repeated in an IN list does not change what it matches.
 */
final class InLists {
    private InLists() {}

    static <T> List<T> padded(List<T> values) {
        int size = values.size();
        if (size <= 1 || Integer.bitCount(size) == 1) {
            return values;
        }
        int length = Integer.highestOneBit(size) << 1;
        List<T> padded = new ArrayList<>(length);
        padded.addAll(values);
        T last = values.get(size - 1);
        while (padded.size() < length) {
            padded.add(last);
        }
        return padded;
    }
}
