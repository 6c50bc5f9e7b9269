package dev.bastion.security.validate;

import static dev.bastion.security.validate.TestCalls.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bastion.core.spi.ProviderConfig;
import dev.bastion.core.spi.Setting;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StructuralLimitsTest {

    private final StructuralLimits limits = new StructuralLimits(1000, 3, 10, 3, 2);

    @Test
    void acceptsArgumentsWithinLimits() {
        assertThat(limits.check(json("{\"a\":{\"b\":[1,2,\"0123456789\"]},\"c\":true}"), 100)).isEmpty();
    }

    @Test
    void rejectsOversizedRequestBeforeWalking() {
        assertThat(limits.check(json("{}"), 1001))
                .containsExactly("(root): the request is 1001 bytes, more than the limit of 1000 bytes");
    }

    @Test
    void rejectsDeepNestingWithItsPointer() {
        assertThat(limits.check(json("{\"a\":{\"b\":{\"c\":{}}}}"), 10))
                .containsExactly("/a/b/c: nested deeper than 3 levels");
    }

    @Test
    void rejectsLongStringsLongArraysAndManyPropertiesWithoutEchoingValues() {
        assertThat(limits.check(json("{\"s\":\"Secret-Value-12345\",\"l\":[1,2,3,4]}"), 10))
                .containsExactly("/s: string is longer than 10 characters", "/l: array has more than 3 items")
                .noneMatch(v -> v.contains("Secret-Value"));
        assertThat(limits.check(json("{\"o\":{\"a\":1,\"b\":2,\"c\":3}}"), 10))
                .containsExactly("/o: object has more than 2 properties");
        assertThat(limits.check(json("{\"a/b~\":\"01234567890\"}"), 10))
                .containsExactly("/a~1b~0: string is longer than 10 characters");
        assertThat(limits.check(json("{\"averyveryverylongname\":1}"), 10))
                .containsExactly("(root): has a property name longer than 10 characters");
    }

    @Test
    void stopsAfterAFewViolations() {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (int i = 0; i < 3; i++) {
            items.add("far too long a string");
        }
        ObjectNode args = JsonNodeFactory.instance.objectNode();
        args.set("a", items.deepCopy());
        ObjectNode b = args.putObject("b");
        b.set("x", items.deepCopy());

        assertThat(new StructuralLimits(1000, 5, 5, 10, 10).check(args, 10)).hasSize(5);
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        assertThat(StructuralLimits.DEFAULTS).isEqualTo(new StructuralLimits(1_048_576, 32, 65_536, 1000, 256));
        assertThat(StructuralLimits.from(new ProviderConfig("security", "default", Map.of())))
                .isEqualTo(StructuralLimits.DEFAULTS);
        assertThat(StructuralLimits.settings()).extracting(Setting::key).containsExactly("max_request_bytes",
                "limits.max_depth", "limits.max_string_length", "limits.max_array_length", "limits.max_properties");
        assertThat(StructuralLimits.settings()).allSatisfy(s -> {
            assertThat(s.defaultValue()).isNotBlank();
            assertThat(s.envNames()).singleElement().asString().startsWith("BASTION_");
            assertThat(s.description()).isNotBlank();
        });
    }

    @Test
    void mapsEveryExplicitSetting() {
        ProviderConfig section = new ProviderConfig("security", "default", Map.of(
                "max_request_bytes", 2048, "limits.max_depth", 4, "limits.max_string_length", 50,
                "limits.max_array_length", 6, "limits.max_properties", 7));

        assertThat(StructuralLimits.from(section)).isEqualTo(new StructuralLimits(2048, 4, 50, 6, 7));
    }

    @Test
    void rejectsNonPositiveLimits() {
        assertThatThrownBy(() -> new StructuralLimits(1000, 0, 1, 1, 1))
                .hasMessage("security.limits.max_depth: must be at least 1, not 0");
    }
}
