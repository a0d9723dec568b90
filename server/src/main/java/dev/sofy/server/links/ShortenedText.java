package dev.sofy.server.links;

import java.util.List;
import java.util.Objects;

/** A text with its URLs replaced by short links, and the links to store, in order of appearance. */
public record ShortenedText(String text, List<ShortLink> links) {
    public ShortenedText {
        Objects.requireNonNull(text, "text");
        links = List.copyOf(links);
    }
}
