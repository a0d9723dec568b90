package dev.sofy.server.health;

/**
 * One check of readiness.
 *
 * @param required whether the server is unready when this check is down; a carrier link is not
 *     (SMS are still accepted and wait for it)
 * @param detail what the check saw, for a person
 * @param count a number the check measured (the outbox backlog), or null
 */
public record Check(String name, boolean up, boolean required, String detail, Long count) {

    static Check up(String name, boolean required, String detail) {
        return new Check(name, true, required, detail, null);
    }

    static Check down(String name, boolean required, String detail) {
        return new Check(name, false, required, detail, null);
    }
}
