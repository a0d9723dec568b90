package dev.sofy.server.http.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON mapper of the server: HTTP answers and webhook events. */
public final class Json {
    public static final String MEDIA_TYPE = "application/json";
    public static final String PROBLEM_MEDIA_TYPE = "application/problem+json";

    public static final ObjectMapper MAPPER = create();

    private Json() {}

    private static ObjectMapper create() {
        var mapper = new ObjectMapper();
        // Bodies are at most 64 KiB; a shallow nesting limit keeps hostile documents cheap.
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build());
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        // Unknown properties are ignored, as the spec says: the seed fails only on definitive errors.
        mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        // Write emoji as UTF-8, not as escaped surrogate pairs.
        mapper.getFactory().enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8.mappedFeature());
        mapper.setSerializationInclusion(JsonInclude.Include.NON_NULL);
        mapper.registerModule(new JavaTimeModule());
        mapper.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
        return mapper;
    }
}
