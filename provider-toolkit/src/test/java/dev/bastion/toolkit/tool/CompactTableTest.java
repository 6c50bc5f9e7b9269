package dev.bastion.toolkit.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CompactTableTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<CompactTable.Column> COLUMNS = List.of(new CompactTable.Column("ts", "timestamp"),
            new CompactTable.Column("level", "string"), new CompactTable.Column("host", "string"),
            new CompactTable.Column("bytes", "long"), new CompactTable.Column("cluster", "string"),
            new CompactTable.Column("message", "string"));

    /** {@code n} rows: unique times and messages, three levels, two hosts (one row without), one cluster. */
    private static List<List<JsonNode>> rows(int n) {
        Random random = new Random(7);
        List<List<JsonNode>> rows = new ArrayList<>();
        String[] levels = {"INFO", "WARN", "ERROR"};
        for (int i = 0; i < n; i++) {
            List<JsonNode> row = new ArrayList<>();
            row.add(JSON.getNodeFactory().textNode(java.time.Instant.parse("2026-12-04T10:00:00Z").plusSeconds(i).toString()));
            row.add(JSON.getNodeFactory().textNode(levels[random.nextInt(3)]));
            row.add(i == 3 ? NullNode.getInstance() : JSON.getNodeFactory().textNode(i % 2 == 0
                    ? "api-01.prod.example.internal" : "db-01.prod.example.internal"));
            row.add(JSON.getNodeFactory().textNode(Long.toString(9_007_199_254_740_993L + i)));
            row.add(JSON.getNodeFactory().textNode("prod-eu-1"));
            row.add(JSON.getNodeFactory().textNode("request " + random.nextLong()));
            rows.add(row);
        }
        return rows;
    }

    /** The rows again from a written table: constants put back, positions looked up. */
    private static List<List<JsonNode>> read(ObjectNode table) {
        List<String> names = new ArrayList<>();
        COLUMNS.forEach(column -> names.add(column.name()));
        List<List<JsonNode>> out = new ArrayList<>();
        for (JsonNode row : table.path("rows")) {
            List<JsonNode> cells = new ArrayList<>();
            int k = 0;
            for (String name : names) {
                if (table.path("constants").has(name)) {
                    cells.add(table.path("constants").get(name).get("value"));
                    continue;
                }
                JsonNode column = table.path("columns").get(k);
                assertThat(column.path("name").asText()).isEqualTo(name);
                JsonNode cell = row.get(k++);
                cells.add(column.has("values") && !cell.isNull() ? column.path("values").get(cell.asInt()) : cell);
            }
            out.add(cells);
        }
        return out;
    }

    @Test
    void compactLosesNoValue() {
        List<List<JsonNode>> rows = rows(200);

        ObjectNode table = CompactTable.write(COLUMNS, rows, CompactTable.Layout.COMPACT, JSON.createObjectNode());

        assertThat(read(table)).isEqualTo(rows);
    }

    @Test
    void aConstantColumnIsWrittenOnceAndRepeatedTextsAreListedOnce() {
        ObjectNode table = CompactTable.write(COLUMNS, rows(200), CompactTable.Layout.COMPACT, JSON.createObjectNode());

        assertThat(table.path("constants").path("cluster").toString())
                .isEqualTo("{\"type\":\"string\",\"value\":\"prod-eu-1\"}");
        assertThat(table.path("columns").findValuesAsText("name")).containsExactly("ts", "level", "host", "bytes",
                "message");
        JsonNode host = table.path("columns").get(2);
        assertThat(host.path("values").toString())
                .isEqualTo("[\"api-01.prod.example.internal\",\"db-01.prod.example.internal\"]");
        assertThat(table.path("rows").get(0).get(2).asInt()).isZero();
        assertThat(table.path("rows").get(1).get(2).asInt()).isEqualTo(1);
        assertThat(table.path("rows").get(3).get(2).isNull()).as("a missing value stays null").isTrue();
        assertThat(table.path("columns").get(1).has("values")).as("three levels").isTrue();
        // Unique texts gain nothing from a list; long values stay exact strings, never positions.
        assertThat(table.path("columns").get(4).has("values")).isFalse();
        assertThat(table.path("columns").get(0).has("values")).isFalse();
        assertThat(table.path("rows").get(5).get(3).asText()).isEqualTo("9007199254740998");
    }

    @Test
    void plainWritesEveryCellAsItsValueAndOneRowHasNoConstants() {
        List<List<JsonNode>> rows = rows(50);

        ObjectNode plain = CompactTable.write(COLUMNS, rows, CompactTable.Layout.PLAIN, JSON.createObjectNode());
        ObjectNode single = CompactTable.write(COLUMNS, rows.subList(0, 1), CompactTable.Layout.COMPACT,
                JSON.createObjectNode());

        assertThat(plain.has("constants")).isFalse();
        assertThat(plain.path("columns").findValues("values")).isEmpty();
        assertThat(plain.path("rows").get(7).toString()).isEqualTo(JSON.valueToTree(rows.get(7)).toString());
        assertThat(single.has("constants")).isFalse();
        assertThat(single.path("columns").findValues("values")).isEmpty();
    }

    @Test
    void aRepeatedNumberColumnKeepsItsValuesEvenWhenTheyArriveAsStrings() {
        List<List<JsonNode>> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rows.add(List.of(JSON.getNodeFactory().textNode(i % 2 == 0 ? "checkout-service-eu" : "payment-service-eu"),
                    JSON.getNodeFactory().textNode(i % 2 == 0 ? "1" : "3")));
        }

        ObjectNode table = CompactTable.write(List.of(new CompactTable.Column("service", "string"),
                new CompactTable.Column("count()", "long")), rows, CompactTable.Layout.COMPACT, JSON.createObjectNode());

        assertThat(table.path("columns").get(0).has("values")).as("the text column is listed").isTrue();
        assertThat(table.path("columns").get(1).has("values")).as("the long column is not").isFalse();
        assertThat(table.path("rows").get(1).get(1).asText()).isEqualTo("3");
    }

    @Test
    void aColumnWithTooManyDistinctValuesIsNotListed() {
        List<List<JsonNode>> rows = new ArrayList<>();
        for (int i = 0; i < 2 * CompactTable.MAX_VALUES + 2; i++) {
            rows.add(List.of(JSON.getNodeFactory().textNode("value-number-" + (i % (CompactTable.MAX_VALUES + 1)))));
        }

        ObjectNode table = CompactTable.write(List.of(new CompactTable.Column("v", "string")), rows,
                CompactTable.Layout.COMPACT, JSON.createObjectNode());

        assertThat(table.path("columns").get(0).has("values")).isFalse();
        assertThat(table.path("rows").get(0).get(0).asText()).isEqualTo("value-number-0");
    }
}
