package dev.bastion.provider.dynatrace.managed;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the selector builder: whatever a tool argument holds, it either is
 * refused with an {@link IllegalArgumentException} or becomes exactly one quoted literal that reads
 * back as the value, so no value can close its condition and add another. The reading side is a
 * small parser of the selector syntax written here, independent of {@link Selector}.
 *
 * <p>In a normal build the fuzz test replays its corpus ({@code SelectorFuzzTestInputs/}); with
 * {@code JAZZER_FUZZ=1} it fuzzes (scripts/fuzz.sh).
 */
class SelectorFuzzTest {

    @FuzzTest
    void everyValueIsRefusedOrQuotedAsOneLiteral(FuzzedDataProvider data) {
        List<String> values = new ArrayList<>();
        int count = data.consumeInt(1, 3);
        for (int i = 0; i < count; i++) {
            values.add(data.consumeString(200));
        }
        String nestedValue = data.consumeRemainingAsString();

        boolean refused = false;
        for (String value : values) {
            refused |= !checkQuote(value);
        }
        refused |= !checkQuote(nestedValue);
        if (refused) {
            return;
        }
        String selector = Selector.builder()
                .condition("type", "HOST")
                .condition("entityName.in", values)
                .nested("fromRelationships.runsOn", Selector.builder().condition("tag", nestedValue))
                .build();

        List<Condition> parsed = new SelectorParser(selector).conditions();
        assertThat(parsed).extracting(Condition::name)
                .containsExactly("type", "entityName.in", "fromRelationships.runsOn");
        assertThat(parsed.get(0).values()).containsExactly("HOST");
        assertThat(parsed.get(1).values()).containsExactlyElementsOf(values);
        List<Condition> inner = parsed.get(2).nested();
        assertThat(inner).hasSize(1);
        assertThat(inner.get(0).name()).isEqualTo("tag");
        assertThat(inner.get(0).values()).containsExactly(nestedValue);
    }

    /** Quotes {@code value}; returns false when it was refused, and checks the literal when it was not. */
    private static boolean checkQuote(String value) {
        String literal;
        try {
            literal = Selector.quote(value);
        } catch (IllegalArgumentException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(value == null || value.isEmpty() || value.chars().anyMatch(SelectorFuzzTest::invisible))
                    .as("refused value %s has no character the rule names", value)
                    .isTrue();
            return false;
        }
        assertThat(value.chars().noneMatch(SelectorFuzzTest::invisible))
                .as("an accepted value holds no control, format or separator character")
                .isTrue();
        SelectorParser parser = new SelectorParser(literal);
        assertThat(parser.literal()).isEqualTo(value);
        assertThat(parser.atEnd()).as("the literal %s is exactly one quoted value", literal).isTrue();
        return true;
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    @Test
    void parserReadsEscapesAndNesting() {
        List<Condition> parsed = new SelectorParser("a(\"x~\"y~~z\",\"w\"),b.c(d(\"v\"))").conditions();

        assertThat(parsed.get(0)).isEqualTo(new Condition("a", List.of("x\"y~z", "w"), List.of()));
        assertThat(parsed.get(1).nested()).containsExactly(new Condition("d", List.of("v"), List.of()));
    }

    @Test
    void parserRefusesAValueThatClosesItsCondition() {
        SelectorParser parser = new SelectorParser("\"a\"),tag(\"b\"");

        assertThat(parser.literal()).isEqualTo("a");
        assertThat(parser.atEnd()).isFalse();
    }

    record Condition(String name, List<String> values, List<Condition> nested) {
    }

    /**
     * The selector grammar: {@code conditions := condition ("," condition)*},
     * {@code condition := name "(" (literal ("," literal)* | conditions) ")"},
     * {@code literal := '"' (~ any | not '"' and not '~')* '"'}.
     */
    static final class SelectorParser {
        private final String text;
        private int pos;

        SelectorParser(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return pos == text.length();
        }

        List<Condition> conditions() {
            List<Condition> result = conditionList();
            if (!atEnd()) {
                throw new AssertionError("trailing text at " + pos + " of " + text);
            }
            return result;
        }

        private List<Condition> conditionList() {
            List<Condition> result = new ArrayList<>();
            result.add(condition());
            while (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
                result.add(condition());
            }
            return result;
        }

        private Condition condition() {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '.'
                    || text.charAt(pos) == '_')) {
                pos++;
            }
            String name = text.substring(start, pos);
            expect('(');
            List<String> values = new ArrayList<>();
            List<Condition> nested = List.of();
            if (pos < text.length() && text.charAt(pos) == '"') {
                values.add(literal());
                while (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    values.add(literal());
                }
            } else {
                nested = conditionList();
            }
            expect(')');
            return new Condition(name, values, nested);
        }

        String literal() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                if (pos >= text.length()) {
                    throw new AssertionError("unterminated literal in " + text);
                }
                char c = text.charAt(pos++);
                if (c == '~') {
                    if (pos >= text.length()) {
                        throw new AssertionError("dangling escape in " + text);
                    }
                    value.append(text.charAt(pos++));
                } else if (c == '"') {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
        }

        private void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw new AssertionError("expected '" + c + "' at " + pos + " of " + text);
            }
            pos++;
        }
    }
}
