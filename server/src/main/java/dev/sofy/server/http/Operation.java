package dev.sofy.server.http;

import java.util.ArrayList;
import java.util.List;

/**
 * An operation of the spec as its generated route declares it: its operationId, its method and
 * path, its success status, and the parameters and body its requests carry.
 *
 * @param id the spec's operationId, which names it in the metrics
 * @param body the model of its JSON body, or null when it takes none
 */
record Operation(String id, String method, String path, int status, List<Parameter> parameters, Class<?> body) {

    /** A parameter, by where it is ({@code query}, {@code path}, {@code header}) and its name there. */
    record Parameter(String in, String name) {}

    Operation {
        parameters = List.copyOf(parameters);
    }

    Operation(String id, String method, String path, int status) {
        this(id, method, path, status, List.of(), null);
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
        return new Operation(id, method, path, status, parameters, model);
    }

    private Operation with(Parameter parameter) {
        var more = new ArrayList<>(parameters);
        more.add(parameter);
        return new Operation(id, method, path, status, more, body);
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
