package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import static dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlTestData.FROM;
import static dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlTestData.MAPPER;
import static dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlTestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Valid queries over {@link DqlTestData}, with exact results. */
class DqlTest {

    private final DqlTestData data = new DqlTestData();

    private DqlResult run(String query) {
        return Dql.parse(query).evaluate(data, NOW, FROM, NOW, 1000);
    }

    private List<String> column(DqlResult r, String field) {
        List<String> out = new ArrayList<>();
        for (ObjectNode o : r.records()) {
            JsonNode v = o.get(field);
            out.add(v == null || v.isNull() ? null : v.asText());
        }
        return out;
    }

    private static long bytes(ObjectNode n) throws Exception {
        return MAPPER.writeValueAsBytes(n).length;
    }

    @Test
    void fetchUsesTheDefaultTimeframeNewestFirstAndCountsWhatItScanned() throws Exception {
        DqlResult r = run("fetch logs");
        assertThat(column(r, "timestamp")).containsExactly("2025-06-01T11:50:00.000000000Z", "2025-06-01T11:40:00Z",
                "2025-06-01T11:30:00Z", "2025-06-01T11:20:00Z", "2025-06-01T11:10:00Z", "2025-06-01T11:05:00Z",
                "2025-06-01T10:30:00Z");
        assertThat(r.scannedRecords()).isEqualTo(7);
        long expected = 0;
        for (ObjectNode o : data.table("logs").orElseThrow().subList(0, 7)) {
            expected += bytes(o);
        }
        assertThat(r.scannedBytes()).isEqualTo(expected);
        assertThat(r.truncated()).isFalse();
    }

    @Test
    void fetchWithRelativeFromReachesYesterday() {
        assertThat(run("fetch logs, from: now()-2d").records()).hasSize(8);
        assertThat(run("fetch logs, from:-25h").records()).hasSize(8);
        assertThat(run("fetch logs, from: -30m").records()).hasSize(3); // from is inclusive: 11:30 is in
    }

    @Test
    void fetchWithIsoTimeframeIsHalfOpen() {
        DqlResult r = run("fetch logs, from: \"2025-06-01T11:10:00Z\", to: \"2025-06-01T11:40:00Z\"");
        assertThat(column(r, "timestamp")).containsExactly("2025-06-01T11:30:00Z", "2025-06-01T11:20:00Z",
                "2025-06-01T11:10:00Z");
        assertThat(r.scannedRecords()).isEqualTo(3);
    }

    @Test
    void entitiesWithoutTimestampAreNotTimeFiltered() {
        DqlResult r = run("fetch dt.entity.host | filter osType == \"LINUX\" | fields id, entity.name");
        assertThat(r.records()).extracting(JsonNode::toString)
                .containsExactly("{\"id\":\"HOST-A\",\"entity.name\":\"web-1\"}", "{\"id\":\"HOST-B\",\"entity.name\":\"db-1\"}");
        assertThat(Dql.parse("fetch dt.entity.host").dataObjects()).containsExactly("dt.entity.host");
    }

    @Test
    void filterOnStringEqualityAndNumbers() {
        assertThat(column(run("fetch logs | filter loglevel == \"ERROR\""), "status")).containsExactly("500", "402");
        assertThat(column(run("fetch logs | filter status >= 500"), "status")).containsExactly("500", "504");
        assertThat(column(run("fetch logs | filter duration > 100 and duration <= 300.5"), "duration"))
                .containsExactly("120", "300.5");
        assertThat(run("fetch logs | filter loglevel != \"INFO\"").records()).hasSize(4);
    }

    @Test
    void booleanLogicWithParenthesesAndNot() {
        DqlResult r = run("fetch logs\n| filter (loglevel == \"ERROR\" or loglevel == \"WARN\") and not status == 402");
        assertThat(column(r, "status")).containsExactly("500", "504");
    }

    @Test
    void nullFieldsNeverMatchComparisonsButMatchIsNull() {
        assertThat(run("fetch logs | filter status != 200").records()).hasSize(3);
        assertThat(column(run("fetch logs | filter isNull(status)"), "loglevel")).containsExactly("DEBUG");
        assertThat(run("fetch logs | filter isNotNull(status)").records()).hasSize(6);
        assertThat(run("fetch logs | filter not (status == 200)").records()).hasSize(3);
    }

    @Test
    void inFunction() {
        DqlResult r = run("fetch logs | filter in(loglevel, \"WARN\", \"DEBUG\") | fields loglevel");
        assertThat(column(r, "loglevel")).containsExactly("WARN", "DEBUG");
        assertThat(run("fetch logs | filter in(status, 402, 504)").records()).hasSize(2);
    }

    @Test
    void containsIsCaseSensitiveUnlessToldOtherwise() {
        assertThat(run("fetch logs | filter contains(content, \"error\")").records()).isEmpty();
        assertThat(run("fetch logs | filter contains(content, \"Error\")").records()).hasSize(1);
        assertThat(run("fetch logs | filter contains(content, \"error\", caseSensitive: false)").records()).hasSize(1);
    }

    @Test
    void startsWithAndEndsWith() {
        assertThat(column(run("fetch logs | filter startsWith(content, \"GET \")"), "status"))
                .containsExactly("500", "200");
        assertThat(column(run("fetch logs | filter endsWith(content, \"declined\")"), "status")).containsExactly("402");
        assertThat(run("fetch logs | filter startsWith(content, \"get\", caseSensitive: false)").records()).hasSize(2);
    }

    @Test
    void matchesPhraseMatchesWholeWordsCaseInsensitively() {
        assertThat(column(run("fetch logs | filter matchesPhrase(content, \"TIMED OUT\")"), "status"))
                .containsExactly("504");
        assertThat(run("fetch logs | filter matchesPhrase(content, \"time\")").records()).isEmpty();
        assertThat(run("fetch logs | filter matchesPhrase(content, \"out timed\")").records()).isEmpty();
        assertThat(run("fetch logs | filter matchesPhrase(content, \"internal server\")").records()).hasSize(1);
    }

    @Test
    void matchesValueWildcards() {
        assertThat(run("fetch logs | filter matchesValue(dt.entity.host, \"host-*\")").records()).hasSize(7);
        assertThat(column(run("fetch logs | filter matchesValue(content, \"*declined\")"), "status"))
                .containsExactly("402");
        assertThat(run("fetch logs | filter matchesValue(content, \"declined\")").records()).isEmpty();
        assertThat(run("fetch dt.entity.host | filter matchesValue(entity.name, \"w*-1\")").records()).hasSize(2);
    }

    @Test
    void fieldsKeepsOnlyTheListedFieldsInOrderWithAliasesAndExpressions() {
        DqlResult r = run("fetch logs | filter status == 504 | fields status, host = dt.entity.host, "
                + "ms = duration / 1000, lower(loglevel)");
        assertThat(r.records().get(0).toString())
                .isEqualTo("{\"status\":504,\"host\":\"HOST-B\",\"ms\":30.0,\"lower(loglevel)\":\"warn\"}");
    }

    @Test
    void fieldsAddWithArithmeticConcatAndUpper() {
        DqlResult r = run("fetch logs | filter status == 402 | fieldsAdd label = concat(upper(loglevel), \"-\", status),"
                + " d2 = duration * 2 + 1, since = now() - 30m");
        ObjectNode o = r.records().get(0);
        assertThat(o.get("label").asText()).isEqualTo("ERROR-402");
        assertThat(o.get("d2").asDouble()).isEqualTo(602.0);
        assertThat(o.get("since").asText()).isEqualTo("2025-06-01T11:30:00.000000000Z");
        assertThat(o.get("content").asText()).isEqualTo("Payment failed: card declined");
    }

    @Test
    void concatWithDelimiterAndBacktickNames() {
        DqlResult r = run("fetch logs | filter isNotNull(`my field`) | fields x = concat(loglevel, `my field`, delimiter: \"/\")");
        assertThat(column(r, "x")).containsExactly("DEBUG/spaced");
    }

    @Test
    void fieldsRemoveDropsFields() {
        DqlResult r = run("fetch logs | limit 1 | fieldsRemove content, timestamp, dt.entity.host");
        assertThat(r.records().get(0).toString()).isEqualTo("{\"loglevel\":\"ERROR\",\"status\":500,\"duration\":120}");
    }

    @Test
    void sortByMultipleKeysAscDescWithNullsLast() {
        DqlResult r = run("fetch logs | sort status desc, duration asc | fields status, duration");
        assertThat(column(r, "status")).containsExactly("504", "500", "402", "200", "200", "200", null);
        assertThat(column(r, "duration")).containsExactly("30000", "120", "300.5", "1", "5", "7", null);
        assertThat(column(run("fetch logs | sort status | fields status"), "status"))
                .containsExactly("200", "200", "200", "402", "500", "504", null);
    }

    @Test
    void sortOnUnknownFieldKeepsOrder() {
        assertThat(column(run("fetch events | sort nothing.here desc"), "event.name"))
                .containsExactly("Deploy orders v2", "Queue full", "Deploy billing v7");
    }

    @Test
    void limitCutsAndMaxRecordsTruncates() {
        assertThat(run("fetch logs | limit 2").records()).hasSize(2);
        DqlResult r = Dql.parse("fetch logs").evaluate(data, NOW, FROM, NOW, 3);
        assertThat(r.records()).hasSize(3);
        assertThat(r.truncated()).isTrue();
        assertThat(r.scannedRecords()).isEqualTo(7);
        assertThat(Dql.parse("fetch logs | limit 3").evaluate(data, NOW, FROM, NOW, 3).truncated()).isFalse();
    }

    @Test
    void summarizeCountWithoutGroupsNamesTheFieldAfterTheExpression() {
        DqlResult r = run("fetch logs | summarize count()");
        assertThat(r.records()).hasSize(1);
        assertThat(r.records().get(0).toString()).isEqualTo("{\"count()\":7}");
        assertThat(run("fetch logs | filter status == 999 | summarize count(), sum(duration)").records().get(0).toString())
                .isEqualTo("{\"count()\":0,\"sum(duration)\":null}");
    }

    @Test
    void summarizeByGroupsWithAllAggregations() {
        DqlResult r = run("fetch logs | summarize n = count(), errors = countIf(loglevel == \"ERROR\"), "
                + "sum(duration), avg(duration), min(status), max(status), countDistinct(loglevel), by: {dt.entity.host}"
                + " | sort dt.entity.host");
        assertThat(r.records()).extracting(JsonNode::toString).containsExactly(
                "{\"dt.entity.host\":\"HOST-A\",\"n\":3,\"errors\":1,\"sum(duration)\":126,\"avg(duration)\":42.0,"
                        + "\"min(status)\":200,\"max(status)\":500,\"countDistinct(loglevel)\":2}",
                "{\"dt.entity.host\":\"HOST-B\",\"n\":2,\"errors\":1,\"sum(duration)\":30300.5,\"avg(duration)\":15150.25,"
                        + "\"min(status)\":402,\"max(status)\":504,\"countDistinct(loglevel)\":2}",
                "{\"dt.entity.host\":\"HOST-C\",\"n\":2,\"errors\":0,\"sum(duration)\":7,\"avg(duration)\":7.0,"
                        + "\"min(status)\":200,\"max(status)\":200,\"countDistinct(loglevel)\":2}");
    }

    @Test
    void summarizeByTwoKeysWithAliasThenSortOnTheAggregate() {
        DqlResult r = run("fetch logs\n| summarize c = count(), by: {level = loglevel, dt.entity.host}\n| sort c desc, level\n| limit 2");
        assertThat(r.records()).extracting(JsonNode::toString).containsExactly(
                "{\"level\":\"INFO\",\"dt.entity.host\":\"HOST-A\",\"c\":2}",
                "{\"level\":\"DEBUG\",\"dt.entity.host\":\"HOST-C\",\"c\":1}");
    }

    @Test
    void sortByCountCallAfterSummarizeRefersToTheCountField() {
        DqlResult r = run("fetch logs | summarize count(), by: {loglevel} | sort count() desc, loglevel | limit 1");
        assertThat(r.records().get(0).toString()).isEqualTo("{\"loglevel\":\"INFO\",\"count()\":3}");
        assertThat(run("fetch logs | summarize count(), by: {loglevel} | sort `count()` asc, loglevel | limit 1")
                .records().get(0).get("loglevel").asText()).isEqualTo("DEBUG");
    }

    @Test
    void searchFindsTextInAnyStringFieldCaseInsensitively() {
        assertThat(column(run("fetch logs | search \"HEALTH\""), "status")).containsExactly("200");
        assertThat(run("fetch logs | search \"host-b\"").records()).hasSize(2);
        assertThat(run("fetch events | search \"deploy\" | summarize count()").records().get(0).get("count()").asLong())
                .isEqualTo(2);
    }

    @Test
    void commentsAndNewlinesAnywhere() {
        DqlResult r = run("// errors per host\nfetch logs, // all logs\n from: -2h\n| filter loglevel\n == \"ERROR\" // it's a comment\n"
                + "| summarize\n count()");
        assertThat(r.records().get(0).get("count()").asLong()).isEqualTo(2);
    }

    @Test
    void filterOutRemovesMatches() {
        assertThat(run("fetch logs | filterOut loglevel == \"INFO\"").records()).hasSize(4);
    }

    @Test
    void timestampsCompareWithNowArithmetic() {
        assertThat(run("fetch logs | filter timestamp >= now() - 25m").records()).hasSize(2);
        assertThat(run("fetch logs | filter timestamp < \"2025-06-01T11:06:00Z\"").records()).hasSize(2);
        // Compared as instants, not as text: "11:50:00.000000000Z" equals "11:50:00Z".
        assertThat(run("fetch logs | filter timestamp == \"2025-06-01T11:50:00Z\"").records()).hasSize(1);
        assertThat(run("fetch logs | filter timestamp > \"2025-06-01T11:49:59.5Z\"").records()).hasSize(1);
    }

    @Test
    void timeseriesAverageWithExplicitInterval() {
        DqlResult r = run("timeseries avg(dt.host.cpu.usage), interval: 1h");
        assertThat(r.records()).hasSize(1);
        assertThat(r.records().get(0).toString()).isEqualTo("{\"timeframe\":{\"start\":\"2025-06-01T10:00:00.000000000Z\","
                + "\"end\":\"2025-06-01T12:00:00.000000000Z\"},\"interval\":\"3600000000000\","
                + "\"avg(dt.host.cpu.usage)\":[40.0,30.0]}");
        assertThat(r.scannedRecords()).isZero();
        assertThat(Dql.parse("timeseries avg(dt.host.cpu.usage)").dataObjects()).containsExactly("metrics");
    }

    @Test
    void timeseriesByDimensionWithNullBuckets() {
        DqlResult r = run("timeseries cpu = avg(dt.host.cpu.usage), by: {dt.entity.host}, interval: 1h");
        assertThat(r.records()).hasSize(2);
        assertThat(r.records().get(0).get("dt.entity.host").asText()).isEqualTo("HOST-A");
        assertThat(r.records().get(0).get("cpu").toString()).isEqualTo("[15.0,30.0]");
        assertThat(r.records().get(1).get("dt.entity.host").asText()).isEqualTo("HOST-B");
        assertThat(r.records().get(1).get("cpu").toString()).isEqualTo("[90.0,null]");
    }

    @Test
    void timeseriesSumMinMaxCountFilterAndDefault() {
        DqlResult r = run("timeseries { sum(dt.host.cpu.usage), min(dt.host.cpu.usage), max(dt.host.cpu.usage),"
                + " count(dt.host.cpu.usage) }, interval: 1h");
        ObjectNode o = r.records().get(0);
        assertThat(o.get("sum(dt.host.cpu.usage)").toString()).isEqualTo("[120.0,30.0]");
        assertThat(o.get("min(dt.host.cpu.usage)").toString()).isEqualTo("[10.0,30.0]");
        assertThat(o.get("max(dt.host.cpu.usage)").toString()).isEqualTo("[90.0,30.0]");
        assertThat(o.get("count(dt.host.cpu.usage)").toString()).isEqualTo("[3,1]");
        DqlResult f = run("timeseries max(dt.host.cpu.usage, default: 0), filter: in(dt.entity.host, \"HOST-B\"), "
                + "interval: 1h, from: -3h");
        assertThat(f.records().get(0).get("max(dt.host.cpu.usage, default: 0)").toString())
                .isEqualTo("[99.0,90.0,0]");
        assertThat(f.records().get(0).get("timeframe").get("start").asText()).isEqualTo("2025-06-01T09:00:00.000000000Z");
    }

    @Test
    void timeseriesDefaultIntervalGivesOneMinuteForTwoHours() {
        ObjectNode o = run("timeseries avg(dt.host.cpu.usage)").records().get(0);
        assertThat(o.get("interval").asText()).isEqualTo("60000000000");
        JsonNode values = o.get("avg(dt.host.cpu.usage)");
        assertThat(values).hasSize(120);
        assertThat(values.get(15).asDouble()).isEqualTo(10.0);
        assertThat(values.get(90).asDouble()).isEqualTo(30.0);
        assertThat(values.get(0).isNull()).isTrue();
    }

    @Test
    void timeseriesOfAnUnknownMetricIsEmpty() {
        assertThat(run("timeseries avg(dt.no.such.metric)").records()).isEmpty();
    }

    // ------------------------------------------------------------ hostile literals: each is exactly one string

    @Test
    void escapedQuotesAndOrTrueStayInsideOneLiteral() {
        DqlResult r = run("fetch logs | filter content == \"x\\\" or true or \\\"y\"");
        assertThat(column(r, "content")).containsExactly("x\" or true or \"y");
        assertThat(run("fetch logs | filter content == \"x\\\" or true or \\\"y\" or false").records()).hasSize(1);
    }

    @Test
    void pipeAndFetchInsideALiteralAreText() {
        assertThat(run("fetch logs | filter content == \"| fetch logs\"").records()).isEmpty();
        assertThat(column(run("fetch logs | filter contains(content, \"| fetch logs\")"), "loglevel"))
                .containsExactly("DEBUG");
        assertThat(Dql.parse("fetch logs | filter content == \"| fetch events\"").dataObjects()).containsExactly("logs");
    }

    @Test
    void newlineEscapeMatchesARealNewline() {
        assertThat(column(run("fetch logs | filter content == \"line1\\nline2 | fetch logs\""), "loglevel"))
                .containsExactly("DEBUG");
        assertThat(run("fetch logs | filter content == \"line1\\\\nline2 | fetch logs\"").records()).isEmpty();
    }

    @Test
    void backslashesUnicodeAndSingleQuotesInsideDoubleQuotes() {
        assertThat(column(run("fetch logs | filter contains(content, \"C:\\\\temp\\\\\")"), "duration"))
                .containsExactly("1");
        ObjectNode o = run("fetch logs | limit 1 | fields a = \"\\u0041\\t\\\"\", b = \"it's or true\", c = \"or true\"")
                .records().get(0);
        assertThat(o.get("a").asText()).isEqualTo("A\t\"");
        assertThat(o.get("b").asText()).isEqualTo("it's or true");
        assertThat(o.get("c").asText()).isEqualTo("or true");
        assertThat(run("fetch logs | filter loglevel == \"ERROR\\\" or loglevel == \\\"INFO\"").records()).isEmpty();
    }
}
