package dev.bastion.core.mcp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper configuration of the server: strict parser limits against hostile input. */
public final class JsonMappers {

    /** Deeper JSON than this is refused by the parser; schema limits are tighter still. */
    public static final int MAX_NESTING_DEPTH = 128;
    /** Longer numbers than this are refused: a 10,000-digit number must not cost parse time. */
    public static final int MAX_NUMBER_LENGTH = 100;

    private JsonMappers() {
    }

    public static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxNumberLength(MAX_NUMBER_LENGTH)
                        .build())
                .build();
        return JsonMapper.builder(factory)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
