package dev.sofy.server.links;

import java.util.Objects;

/** A short-link code and the URL it stands for. */
public record ShortLink(String code, String url) {
    public ShortLink {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(url, "url");
    }
}
