package dev.bastion.provider.dynatrace.managed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorTest {

    @Test
    void quotesValuesAndEscapesQuoteAndTilde() {
        assertThat(Selector.quote("checkout")).isEqualTo("\"checkout\"");
        assertThat(Selector.quote("a\"b~c")).isEqualTo("\"a~\"b~~c\"");
    }

    @Test
    void injectedConditionStaysInsideTheQuotedValue() {
        String selector = Selector.builder().condition("type", "HOST")
                .condition("entityName.equals", "\"),type(\"SERVICE").build();
        assertThat(selector).isEqualTo("type(\"HOST\"),entityName.equals(\"~\"),type(~\"SERVICE\")");
    }

    @Test
    void tagInjectionIsEscaped() {
        assertThat(Selector.builder().condition("tag", "x\"),tag(\"y").build())
                .isEqualTo("tag(\"x~\"),tag(~\"y\")");
    }

    @Test
    void parenthesesCommasAndUnicodeNeedNoEscapeInsideQuotes() {
        assertThat(Selector.builder().condition("entityName", "Zürich (prod), 🚀").build())
                .isEqualTo("entityName(\"Zürich (prod), 🚀\")");
    }

    @Test
    void trailingEscapeCharacterCannotSwallowTheClosingQuote() {
        assertThat(Selector.quote("name~")).isEqualTo("\"name~~\"");
    }

    @Test
    void rejectsLineBreaksAndOtherControlCharacters() {
        assertThatThrownBy(() -> Selector.quote("web\n),type(\"SERVICE"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("control characters");
        assertThatThrownBy(() -> Selector.quote("a\u0000b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Selector.quote("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsLineSeparatorsAndBidirectionalControlsInsideQuotes() {
        for (String hostile : new String[] {"web\u2028),type(\"SERVICE", "a\u2029b", "abc\u202Edcba", "x\u200By",
                "\u2066isolate\u2069", "soft\u00ADhyphen", "bom\uFEFF"}) {
            assertThatThrownBy(() -> Selector.quote(hostile)).as(hostile)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bidirectional formatting characters");
        }
        assertThat(Selector.quote("Zürich café – prod")).isEqualTo("\"Zürich café – prod\"");
    }

    @Test
    void severalValuesOfOneConditionAreEachQuoted() {
        assertThat(Selector.builder().condition("entityId", List.of("HOST-1", "HOST-\"2")).build())
                .isEqualTo("entityId(\"HOST-1\",\"HOST-~\"2\")");
    }

    @Test
    void emptyBuilderGivesNoSelector() {
        assertThat(Selector.builder().condition("type", (String) null).build()).isNull();
    }

    @Test
    void conditionNamesComeFromCodeOnly() {
        assertThatThrownBy(() -> Selector.builder().condition("type(\"X\"),tag", "y"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void metricSelectorValidatesKeysAndEscapesDimensions() {
        assertThat(MetricSelector.build(List.of("builtin:host.cpu.usage"), List.of("dt.entity.host"), "max", 3))
                .isEqualTo("builtin:host.cpu.usage:splitBy(\"dt.entity.host\"):max:sort(value(max,descending)):limit(3)");
        assertThat(MetricSelector.build(List.of("builtin:host.cpu.usage", "ext:my.metric"), List.of(), null, 0))
                .isEqualTo("builtin:host.cpu.usage:splitBy(),ext:my.metric:splitBy()");
        assertThat(MetricSelector.build(List.of("builtin:host.cpu.usage"), List.of("dim\"),x(\""), null, 0))
                .isEqualTo("builtin:host.cpu.usage:splitBy(\"dim~\"),x(~\"\")");
        assertThatThrownBy(() -> MetricSelector.build(List.of("builtin:host.cpu.usage:filter(x)"), null, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricSelector.build(List.of("a,b"), null, null, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MetricSelector.build(List.of("builtin:x"), null, "avg):limit(1", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
