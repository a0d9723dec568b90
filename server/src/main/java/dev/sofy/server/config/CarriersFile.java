package dev.sofy.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sofy.server.routing.Route;
import dev.sofy.server.routing.Routes;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a carriers file: YAML that declares the carriers and the routes to them. Whatever makes
 * it unusable is reported as one line naming the variable, the file, the line and the field.
 * Jackson reads the YAML twice: once as tokens, to know the line of every field, and once as a
 * tree, which is checked.
 */
final class CarriersFile {
    static final int MAX_BINDS = 16;
    static final int MAX_SUBMIT_RATE = 100_000;
    static final int MAX_WINDOW = 1_000;
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,32}");
    private static final Pattern PREFIX = Pattern.compile("[0-9]{1,15}");
    private static final Set<String> FILE_FIELDS = Set.of("carriers", "routes");
    private static final List<String> CARRIER_FIELDS =
            List.of("name", "host", "port", "systemId", "password", "binds", "submitRate", "window");
    private static final List<String> ROUTE_FIELDS = List.of("prefixes", "accounts", "senders", "carriers");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** What a carrier has when the file does not say. */
    record Defaults(int port, int binds, int submitRate, int window) {}

    /** A problem at a place of the file: a field (as {@code routes[1].carriers[0]}) or the file itself. */
    private static final class Unusable extends RuntimeException {
        /** Where the line is taken from. */
        final String pointer;
        /** The field the problem is about, which may be missing from the file. */
        final String field;

        Unusable(String pointer, String problem) {
            this(pointer, pointer, problem);
        }

        Unusable(String pointer, String field, String problem) {
            super(problem, null, false, false);
            this.pointer = pointer;
            this.field = field;
        }

        /** A required field that is not there: the line is that of its parent. */
        static Unusable missing(String parent, String name) {
            return new Unusable(parent, parent + "/" + name, "missing");
        }
    }

    private final String variable;
    private final Path file;
    private final Defaults defaults;
    private final Map<String, Integer> lines = new HashMap<>();

    private CarriersFile(String variable, Path file, Defaults defaults) {
        this.variable = variable;
        this.file = file;
        this.defaults = defaults;
    }

    /** Reads and checks the file; throws {@link IllegalArgumentException} with the one-line reason it cannot be used. */
    static CarrierPlan read(String variable, Path file, Defaults defaults) {
        return new CarriersFile(variable, file, defaults).read();
    }

    private CarrierPlan read() {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(variable + " " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(variable + " " + file + ": cannot be read (permission denied)");
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(variable + " " + file + ": cannot be read ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        JsonNode root;
        try {
            recordLines(text);
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where = location == null || location.getLineNr() < 1 ? "" : ", line " + location.getLineNr();
            throw new IllegalArgumentException(variable + " " + file + where + ": not valid YAML: "
                    + e.getOriginalMessage().replaceAll("\\s+", " ").strip());
        } catch (IOException e) {
            throw new IllegalArgumentException(variable + " " + file + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            return plan(root == null ? MissingNode.getInstance() : root);
        } catch (Unusable e) {
            Integer line = lines.get(e.pointer);
            String field = field(e.field);
            throw new IllegalArgumentException(variable + " " + file + (line == null ? "" : ", line " + line) + ": "
                    + (field.isEmpty() ? "" : field + ": ") + e.getMessage());
        }
    }

    /** The line each field starts on, by its JSON pointer ({@code /routes/1/carriers/0}). */
    private void recordLines(String text) throws IOException {
        try (JsonParser parser = YAML.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.END_OBJECT || parser.currentToken() == JsonToken.END_ARRAY) {
                    continue;
                }
                lines.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(),
                        parser.currentTokenLocation().getLineNr());
            }
        }
    }

    /** {@code /routes/1/carriers/0} as {@code routes[1].carriers[0]}. */
    private static String field(String pointer) {
        var field = new StringBuilder();
        for (String step : pointer.split("/")) {
            if (step.isEmpty()) {
                continue;
            }
            if (step.chars().allMatch(Character::isDigit)) {
                field.append('[').append(step).append(']');
            } else {
                field.append(field.length() == 0 ? "" : ".").append(step);
            }
        }
        return field.toString();
    }

    private CarrierPlan plan(JsonNode root) {
        if (!root.isObject()) {
            throw new Unusable("", "must declare carriers and routes (see the README)");
        }
        refuseUnknownFields(root, "", FILE_FIELDS);
        JsonNode carrierNodes = list(root, "", "carriers");
        List<CarrierPlan.Carrier> carriers = new ArrayList<>();
        Map<String, String> carrierPointers = new HashMap<>();
        for (int i = 0; i < carrierNodes.size(); i++) {
            String at = "/carriers/" + i;
            CarrierPlan.Carrier carrier = carrier(carrierNodes.get(i), at);
            String earlier = carrierPointers.putIfAbsent(carrier.name(), at + "/name");
            if (earlier != null) {
                throw new Unusable(at + "/name", "duplicate carrier name '" + carrier.name() + "' (also "
                        + field(earlier) + (lines.containsKey(earlier) ? ", line " + lines.get(earlier) : "") + ")");
            }
            carriers.add(carrier);
        }
        JsonNode routeNodes = list(root, "", "routes");
        List<Route> routes = new ArrayList<>();
        for (int i = 0; i < routeNodes.size(); i++) {
            String at = "/routes/" + i;
            if (!routes.isEmpty() && routes.get(routes.size() - 1).isDefault()) {
                throw new Unusable(at, "never used: routes[" + (i - 1) + "] before it matches every SMS");
            }
            routes.add(route(routeNodes.get(i), at, carrierPointers.keySet()));
        }
        if (routes.stream().noneMatch(Route::isDefault)) {
            throw new Unusable("/routes", "missing default route: the last route must have no prefixes, accounts or"
                    + " senders, so that every SMS has a carrier");
        }
        return new CarrierPlan(carriers, new Routes(routes));
    }

    private CarrierPlan.Carrier carrier(JsonNode node, String at) {
        if (!node.isObject()) {
            throw new Unusable(at, "must be a carrier with a name, host, port, systemId and password");
        }
        refuseUnknownFields(node, at, CARRIER_FIELDS);
        String name = text(node, at, "name", 32);
        if (!NAME.matcher(name).matches()) {
            throw new Unusable(at + "/name", "must be 1 to 32 lowercase letters, digits or '-', not '" + name + "'");
        }
        return new CarrierPlan.Carrier(
                name,
                text(node, at, "host", 253),
                integer(node, at, "port", defaults.port(), 1, 65535),
                // SMPP 3.4 C-octet strings: 16 octets for a system id, 9 for a password, with the NUL.
                text(node, at, "systemId", 15),
                text(node, at, "password", 8),
                integer(node, at, "binds", defaults.binds(), 1, MAX_BINDS),
                integer(node, at, "submitRate", defaults.submitRate(), 1, MAX_SUBMIT_RATE),
                integer(node, at, "window", defaults.window(), 1, MAX_WINDOW));
    }

    private Route route(JsonNode node, String at, Set<String> carrierNames) {
        if (!node.isObject()) {
            throw new Unusable(at, "must be a route with carriers, and optionally prefixes, accounts and senders");
        }
        refuseUnknownFields(node, at, ROUTE_FIELDS);
        List<String> prefixes = optionalTexts(node, at, "prefixes", 15);
        for (int i = 0; i < prefixes.size(); i++) {
            if (!PREFIX.matcher(prefixes.get(i)).matches()) {
                throw new Unusable(at + "/prefixes/" + i, "must be 1 to 15 digits of international numbers, without"
                        + " '+', not '" + prefixes.get(i) + "'");
            }
        }
        List<String> accounts = optionalTexts(node, at, "accounts", 64);
        List<String> senders = optionalTexts(node, at, "senders", 16);
        if (!node.has("carriers")) {
            throw Unusable.missing(at, "carriers");
        }
        List<String> carriers = optionalTexts(node, at, "carriers", 32);
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < carriers.size(); i++) {
            String carrier = carriers.get(i);
            if (!carrierNames.contains(carrier)) {
                throw new Unusable(at + "/carriers/" + i, "unknown carrier '" + carrier + "'");
            }
            if (!seen.add(carrier)) {
                throw new Unusable(at + "/carriers/" + i, "carrier '" + carrier + "' is named twice");
            }
        }
        return new Route(prefixes, Set.copyOf(accounts), Set.copyOf(senders), carriers);
    }

    private static void refuseUnknownFields(JsonNode node, String at, java.util.Collection<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new Unusable(at + "/" + name, "unknown field (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static JsonNode list(JsonNode node, String at, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw Unusable.missing(at, name);
        }
        if (!value.isArray() || value.isEmpty()) {
            throw new Unusable(at + "/" + name, "must be a list of at least one " + name.substring(0, name.length() - 1));
        }
        return value;
    }

    private static String text(JsonNode node, String at, String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw Unusable.missing(at, name);
        }
        if (!value.isTextual() && !value.isNumber()) {
            throw new Unusable(at + "/" + name, "must be text");
        }
        String text = value.asText().strip();
        if (text.isEmpty() || text.length() > maxLength) {
            throw new Unusable(at + "/" + name, "must have 1 to " + maxLength + " characters");
        }
        return text;
    }

    private static int integer(JsonNode node, String at, String name, int fallback, int min, int max) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw new Unusable(at + "/" + name, "must be a whole number from " + min + " to " + max + ", not '"
                    + value.asText() + "'");
        }
        return value.intValue();
    }

    /** A list of texts, empty when absent; each text in quotes or plain, never a list or a map. */
    private static List<String> optionalTexts(JsonNode node, String at, String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new Unusable(at + "/" + name, "must be a list, such as [a, b]");
        }
        if (value.isEmpty()) {
            throw new Unusable(at + "/" + name, "must not be empty; leave it out to match every SMS");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isTextual() || item.asText().isBlank() || item.asText().length() > maxLength) {
                throw new Unusable(at + "/" + name + "/" + i, "must be text of 1 to " + maxLength + " characters"
                        + (name.equals("prefixes") ? ", in quotes, such as \"33\"" : "") + ", not '" + item.asText() + "'");
            }
            texts.add(item.asText());
        }
        return texts;
    }
}
