package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import static dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlTestData.FROM;
import static dev.bastion.provider.dynatrace.platform.sandbox.dql.DqlTestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/** Invalid queries: the error code, message and 1-based position the simulator reports. */
class DqlErrorTest {

    private static DqlException parseError(String query) {
        return catchThrowableOfType(DqlException.class, () -> Dql.parse(query));
    }

    private static DqlException evalError(String query) {
        DqlQuery q = Dql.parse(query);
        return catchThrowableOfType(DqlException.class, () -> q.evaluate(new DqlTestData(), NOW, FROM, NOW, 100));
    }

    private static void at(DqlException e, String code, int line, int column) {
        assertThat(e).as("expected an error").isNotNull();
        assertThat(e.code()).isEqualTo(code);
        assertThat(e.line()).as("line").isEqualTo(line);
        assertThat(e.column()).as("column").isEqualTo(column);
    }

    @Test
    void unknownCommandLikeTheRealApi() {
        DqlException e = parseError("fetch logs | limt 5");
        at(e, "UNKNOWN_COMMAND", 1, 14);
        assertThat(e.getMessage()).isEqualTo("There's no command `limt`.");
        assertThat(e.index()).isEqualTo(13);
        assertThat(e.endColumn()).isEqualTo(17);
        assertThat(e.endIndex()).isEqualTo(16);
        assertThat(e.arguments()).containsExactly("limt");
    }

    @Test
    void unknownFirstCommand() {
        at(parseError("invalid"), "UNKNOWN_COMMAND", 1, 1);
    }

    @Test
    void unknownCommandOnALaterLine() {
        at(parseError("fetch logs\n| filter loglevel == \"ERROR\"\n  | summarise count()"), "UNKNOWN_COMMAND", 3, 5);
    }

    @Test
    void singleQuotedStringIsRejected() {
        DqlException e = parseError("fetch logs | filter loglevel == 'ERROR'");
        at(e, "PARSE_ERROR_SINGLE_QUOTES", 1, 33);
        assertThat(e.getMessage()).startsWith("Single quotes are not allowed");
    }

    @Test
    void unknownFunctionAtItsName() {
        DqlException e = parseError("fetch logs\n| filter   foo(content) == 1");
        at(e, "UNKNOWN_FUNCTION", 2, 12);
        assertThat(e.getMessage()).isEqualTo("There's no function `foo`.");
    }

    @Test
    void unknownDataObjectWhenEvaluated() {
        DqlException e = evalError("fetch  nosuch | limit 1");
        at(e, "UNKNOWN_DATA_OBJECT", 1, 8);
        assertThat(e.arguments()).containsExactly("nosuch");
    }

    @Test
    void unclosedString() {
        at(parseError("fetch logs | filter content == \"abc"), "PARSE_ERROR", 1, 32);
    }

    @Test
    void invalidEscape() {
        at(parseError("fetch logs | filter content == \"a\\qb\""), "PARSE_ERROR", 1, 34);
    }

    @Test
    void arrayInOperatorIsNotAllowed() {
        DqlException e = parseError("fetch events | filter event.type in [\"A\", \"B\"]");
        at(e, "PARSE_ERROR", 1, 34);
        assertThat(e.getMessage()).isEqualTo("`in` isn't allowed here.");
    }

    @Test
    void queryMustStartWithFetchOrTimeseries() {
        at(parseError("filter status == 500"), "PARSE_ERROR", 1, 1);
        at(parseError("fetch logs | fetch events"), "PARSE_ERROR", 1, 14);
    }

    @Test
    void limitNeedsAWholeNumber() {
        at(parseError("fetch logs | limit \"ten\""), "INVALID_ARGUMENT", 1, 20);
    }

    @Test
    void wrongLiteralArgumentType() {
        at(parseError("fetch logs | filter contains(content, 5)"), "INVALID_ARGUMENT", 1, 39);
        at(parseError("fetch logs | filter contains(content, \"x\", caseSensitive: \"no\")"), "INVALID_ARGUMENT", 1, 59);
    }

    @Test
    void wrongArgumentCount() {
        at(parseError("fetch logs | filter contains(content)"), "INVALID_ARGUMENT", 1, 21);
    }

    @Test
    void unknownParameters() {
        at(parseError("fetch logs, form: -2h"), "UNKNOWN_PARAMETER", 1, 13);
        at(parseError("fetch logs | filter matchesPhrase(content, \"x\", exact: true)"), "UNKNOWN_PARAMETER", 1, 56);
        at(parseError("fetch logs | summarize count(), group: {x}"), "UNKNOWN_PARAMETER", 1, 33);
    }

    @Test
    void summarizeNeedsAggregations() {
        at(parseError("fetch logs | summarize lower(content)"), "INVALID_ARGUMENT", 1, 24);
    }

    @Test
    void runtimeTypeErrorsArePositioned() {
        at(evalError("fetch logs | fieldsAdd x = content + 1"), "INVALID_ARGUMENT", 1, 36);
        at(evalError("fetch logs | summarize sum(content)"), "INVALID_ARGUMENT", 1, 28);
        at(evalError("fetch logs | filter lower(status) == \"x\""), "INVALID_ARGUMENT", 1, 27);
        at(evalError("fetch logs | filter status"), "INVALID_ARGUMENT", 1, 21);
    }

    @Test
    void badTimes() {
        at(evalError("fetch logs, from: \"yesterday\""), "INVALID_ARGUMENT", 1, 19);
        at(parseError("timeseries avg(dt.host.cpu.usage), interval: 0m"), "INVALID_ARGUMENT", 1, 46);
    }

    @Test
    void unbalancedParenthesisEndsUnexpectedly() {
        DqlException e = parseError("fetch logs | filter (status == 500");
        at(e, "PARSE_ERROR", 1, 34);
        assertThat(e.getMessage()).isEqualTo("The query ends unexpectedly.");
    }

    @Test
    void assignmentInsteadOfComparison() {
        at(parseError("fetch logs | filter status = 500"), "PARSE_ERROR", 1, 28);
    }

    @Test
    void unsupportedButRealCommandsAndFunctions() {
        at(parseError("fetch logs | dedup content"), "UNSUPPORTED_COMMAND", 1, 14);
        at(parseError("timeseries percentile(dt.host.cpu.usage, 99)"), "INVALID_ARGUMENT", 1, 12);
        at(parseError("timeseries nope(dt.host.cpu.usage)"), "UNKNOWN_FUNCTION", 1, 12);
    }

    @Test
    void trailingGarbageAndEmptyQuery() {
        at(parseError("fetch logs | limit 5 6"), "PARSE_ERROR", 1, 22);
        at(parseError("   "), "PARSE_ERROR", 1, 1);
        at(parseError("fetch logs |"), "PARSE_ERROR", 1, 12);
    }

    @Test
    void hostileLiteralDoesNotEndTheStringEarly() {
        // The escaped quote keeps `or true` inside the literal, so the only error is the unclosed string at its start.
        at(parseError("fetch logs | filter content == \"x\\\" or true"), "PARSE_ERROR", 1, 32);
        assertThat(Dql.parse("fetch logs | filter content == \"it's | limt 5\"")).isNotNull();
    }
}
