package dev.sofy.server.links;

/** No short link with this code. */
public final class LinkNotFoundException extends RuntimeException {
    public LinkNotFoundException() {
        super("No link with this code.", null, false, false);
    }
}
