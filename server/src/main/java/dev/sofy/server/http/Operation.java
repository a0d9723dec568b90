package dev.sofy.server.http;

import java.util.ArrayList;
import java.util.List;

/**
 * An operation of the spec as its generated route declares it: its operationId, its method and
 * path, its success status and the media types of its success body, and the parameters and body
 * its requests carry.
 *
 * @param id the spec's operationId, which names it in the metrics
 * @param produces the media types its success answer may have, as the spec lists them; none when
 *     it has no body (a {@code HEAD} answers with those of its {@code GET})
 * @param body the model of its JSON body, or null when it takes none
 */
record Operation(String id, String method, String path, int status, List<String> produces, List<Parameter> parameters,
                 Class<?> body) {

    /** A parameter, by where it is ({@code query}, {@code path}, {@code header}) and its name there. */
    record Parameter(String in, String name) {}

    Operation {
        produces = List.copyOf(produces);
        parameters = List.copyOf(parameters);
    }

    Operation(String id, String method, String path, int status) {
        this(id, method, path, status, List.of(), List.of(), null);
    }

    Operation produces(String mediaType) {
        var more = new ArrayList<>(produces);
        more.add(mediaType);
        return new Operation(id, method, path, status, more, parameters, body);
    }

    Operation query(String name) {
        return with(new Parameter("query", name));
    }

    Operation path(String name) {
        return with(new Parameter("path", name));
    }

    Operation header(String name) {
        return with(new Parameter("header", name));
    }

    Operation body(Class<?> model) {
        return new Operation(id, method, path, status, produces, parameters, model);
    }

    private Operation with(Parameter parameter) {
        var more = new ArrayList<>(parameters);
        more.add(parameter);
        return new Operation(id, method, path, status, produces, more, body);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
