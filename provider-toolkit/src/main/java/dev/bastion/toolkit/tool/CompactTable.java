package dev.bastion.toolkit.tool;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records as a table a model reads in few bytes, without losing a value: each column's name and
 * type once, then one row of cells per record.
 *
 * <p>{@link Layout#COMPACT} also writes, losslessly:
 * <ul>
 *   <li>a column with the same value in every row (two rows or more) once, under {@code constants}
 *       as {@code {"type": ..., "value": ...}}, and not in the rows;</li>
 *   <li>a column of type {@value #TEXT_TYPE} whose values repeat (at most {@value #MAX_VALUES}
 *       distinct, and the list saves at least a third of the column's bytes) with its distinct
 *       values in the column's {@code values}, its cells being positions in that list (0 the first;
 *       {@code null} stays {@code null}). Only text: a number column (even one whose values arrive
 *       as strings, such as Grail's {@code long}) keeps its values, so a position is never read as
 *       a number.</li>
 * </ul>
 * {@link Layout#PLAIN} writes every cell as its value. {@link #SCHEMA_PROPERTIES} is the part of an
 * output schema that describes the table.
 */
public final class CompactTable {

    /** How cells are written. */
    public enum Layout {
        /** Constant columns once, repeated text values listed once per column. */
        COMPACT,
        /** Every cell as its value. */
        PLAIN
    }

    /** A column: its name and the backend's type name. */
    public record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** The column type whose repeated values are listed once. */
    public static final String TEXT_TYPE = "string";

    /** The most distinct values a column's {@code values} list holds. */
    public static final int MAX_VALUES = 256;

    /** JSON Schema properties of {@code columns}, {@code rows} and {@code constants}, for an output schema. */
    public static final String SCHEMA_PROPERTIES = """
            "columns":{"type":"array","items":{"type":"object","required":["name","type"],"properties":{
              "name":{"type":"string"},"type":{"type":"string"},"values":{"type":"array"}}}},
            "rows":{"type":"array","items":{"type":"array"}},
            "constants":{"type":"object","additionalProperties":{"type":"object","required":["type","value"],
              "properties":{"type":{"type":"string"},"value":{}}}}""";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CompactTable() {
    }

    /**
     * Writes {@code columns}, {@code rows} and, when there are any, {@code constants} into
     * {@code out}; each row holds one cell per column, in column order ({@code null} for none).
     */
    public static ObjectNode write(List<Column> columns, List<List<JsonNode>> rows, Layout layout, ObjectNode out) {
        requireNonNull(columns, "columns is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(out, "out is null");
        int width = columns.size();
        Map<Column, JsonNode> constants = new LinkedHashMap<>();
        List<Integer> kept = new ArrayList<>();
        List<Map<JsonNode, Integer>> dictionaries = new ArrayList<>();
        for (int c = 0; c < width; c++) {
            if (layout == Layout.COMPACT && rows.size() >= 2 && constant(rows, c)) {
                constants.put(columns.get(c), cell(rows.get(0), c));
                continue;
            }
            kept.add(c);
            dictionaries.add(layout == Layout.COMPACT && columns.get(c).type().equals(TEXT_TYPE)
                    ? dictionary(rows, c) : null);
        }
        ArrayNode columnsOut = out.putArray("columns");
        for (int k = 0; k < kept.size(); k++) {
            Column column = columns.get(kept.get(k));
            ObjectNode described = columnsOut.addObject().put("name", column.name()).put("type", column.type());
            if (dictionaries.get(k) != null) {
                ArrayNode values = described.putArray("values");
                dictionaries.get(k).keySet().forEach(values::add);
            }
        }
        ArrayNode rowsOut = out.putArray("rows");
        for (List<JsonNode> row : rows) {
            ArrayNode written = rowsOut.addArray();
            for (int k = 0; k < kept.size(); k++) {
                JsonNode value = cell(row, kept.get(k));
                Map<JsonNode, Integer> dictionary = dictionaries.get(k);
                written.add(dictionary == null || value.isNull() ? value : NODES.numberNode(dictionary.get(value)));
            }
        }
        if (!constants.isEmpty()) {
            ObjectNode constantsOut = out.putObject("constants");
            constants.forEach((column, value) -> constantsOut.putObject(column.name()).put("type", column.type())
                    .set("value", value));
        }
        return out;
    }

    private static JsonNode cell(List<JsonNode> row, int column) {
        JsonNode value = column < row.size() ? row.get(column) : null;
        return value == null || value.isMissingNode() ? NullNode.getInstance() : value;
    }

    private static boolean constant(List<List<JsonNode>> rows, int column) {
        JsonNode first = cell(rows.get(0), column);
        for (List<JsonNode> row : rows) {
            if (!cell(row, column).equals(first)) {
                return false;
            }
        }
        return true;
    }

    /** The column's distinct texts in first-seen order, or {@code null} when listing them would not pay. */
    private static Map<JsonNode, Integer> dictionary(List<List<JsonNode>> rows, int column) {
        Map<JsonNode, Integer> positions = new LinkedHashMap<>();
        long inline = 0;
        long listed = 0;
        for (List<JsonNode> row : rows) {
            JsonNode value = cell(row, column);
            if (value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                return null;
            }
            int size = value.asText().length() + 3;
            inline += size;
            Integer position = positions.get(value);
            if (position == null) {
                if (positions.size() == MAX_VALUES) {
                    return null;
                }
                position = positions.size();
                positions.put(value, position);
                listed += size;
            }
            listed += String.valueOf(position).length() + 1;
        }
        return positions.isEmpty() || listed * 3 > inline * 2 ? null : positions;
    }
}
