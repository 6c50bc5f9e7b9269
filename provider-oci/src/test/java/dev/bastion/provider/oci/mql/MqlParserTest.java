package dev.bastion.provider.oci.mql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MqlParserTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "CpuUtilization[1m].sum()",
        "CpuUtilization[1m].mean()",
        "CpuUtilization[5m].max()",
        "CpuUtilization[60m].min()",
        "CpuUtilization[1h].count()",
        "CpuUtilization[24h].rate()",
        "CpuUtilization[1d].increment()",
        "CpuUtilization[1m].first()",
        "CpuUtilization[1m].last()",
        "CpuUtilization[1m].percentile(.9)",
        "CpuUtilization[1m].percentile(0.99)",
        "CpuUtilization[1m].absent()",
        "CpuUtilization[1m].absent(5m)",
        "CpuUtilization[1m]{resourceId = \"ocid1.instance.oc1.iad.anuwcljt\"}.max()",
        "CpuUtilization[5m]{resourceDisplayName = \"web-1\", shape = \"VM.Standard.E4.Flex\"}.mean()",
        "CpuUtilization[5m]{resourceDisplayName =~ \"web-*\"}.mean()",
        "CpuUtilization[5m]{resourceDisplayName =~ \"web-1|web-2\"}.mean()",
        "CpuUtilization[5m]{resourceDisplayName != \"batch-1\"}.mean()",
        "CpuUtilization[5m].grouping().mean()",
        "CpuUtilization[5m].groupBy(availabilityDomain).max()",
        "CpuUtilization[5m].groupBy(availabilityDomain, faultDomain).max()",
        "CpuUtilization[5m].groupBy(availabilityDomain).mean().grouping().max()",
        "CpuUtilization[1m].mean() > 80",
        "CpuUtilization[1m].mean() >= 80.5",
        "CpuUtilization[1m].mean() < 5",
        "CpuUtilization[1m].mean() <= 5",
        "CpuUtilization[1m].mean() == 0",
        "CpuUtilization[1m].mean() != 0",
        "CpuUtilization[1m].mean() in (10, 20)",
        "CpuUtilization[1m].mean() not in (10, 20)",
        "RequestCount[1m].sum() > 0",
        "100 - CpuUtilization[1m].mean()",
        "(CpuUtilization[1m].mean() + MemoryUtilization[1m].mean()) / 2",
        "CpuUtilization[1m].mean() > 80 && MemoryUtilization[1m].mean() > 90",
        "CpuUtilization[1m].mean() > 80 || MemoryUtilization[1m].max() > 95",
        "  CpuUtilization [ 5m ] { resourceId = \"x\" } . mean ( )  ",
        "MemoryUtilization[5m].groupBy(resourceDisplayName).max() > 80",
        "HttpRequests[1m]{backendSetName = \"prod\"}.sum()",
    })
    void acceptsValidQueries(String query) {
        assertThat(MqlParser.parse(query)).isNotEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "``|1|the query is empty",
        "`   `|1|the query is empty",
        "CpuUtilization|15|expected '[' and an interval",
        "CpuUtilization.mean()|15|expected '[' and an interval",
        "CpuUtilization[].mean()|16|expected an interval such as 1m",
        "CpuUtilization[1].mean()|16|the interval must be 1m to 60m, 1h to 24h, or 1d",
        "CpuUtilization[61m].mean()|16|the interval must be",
        "CpuUtilization[25h].mean()|16|the interval must be",
        "CpuUtilization[2d].mean()|16|the interval must be",
        "CpuUtilization[0m].mean()|16|the interval must be",
        "CpuUtilization[1w].mean()|16|the interval must be",
        "CpuUtilization[100m].mean()|16|expected an interval",
        "CpuUtilization[1m.mean()|18|expected ']' after the interval",
        "CpuUtilization[1m]|19|expected '.' and a statistic",
        "CpuUtilization[1m].|20|expected a grouping function or a statistic",
        "CpuUtilization[1m].average()|20|unknown function 'average'",
        "CpuUtilization[1m].mean|24|expected '(' after mean",
        "CpuUtilization[1m].mean(|25|mean() takes no arguments",
        "CpuUtilization[1m].mean(5)|25|mean() takes no arguments",
        "CpuUtilization[1m].mean().grouping()|37|expected '.' and a statistic",
        "CpuUtilization[1m].groupBy().max()|28|expected a dimension name to group by",
        "CpuUtilization[1m].groupBy(a,).max()|30|expected a dimension name to group by",
        "CpuUtilization[1m].percentile(1.5)|31|the percentile must be between 0 and 1",
        "CpuUtilization[1m].percentile(0)|31|the percentile must be between 0 and 1",
        "CpuUtilization[1m].percentile()|31|expected the percentile",
        "CpuUtilization[1m]{}.mean()|20|expected a dimension name",
        "CpuUtilization[1m]{resourceId}.mean()|30|expected '=', '=~' or '!='",
        "CpuUtilization[1m]{resourceId = x}.mean()|33|expected a double-quoted dimension value",
        "CpuUtilization[1m]{resourceId = \"x}.mean()|33|the dimension value that starts here has no closing",
        "CpuUtilization[1m]{resourceId = \"x\".mean()|36|to close the dimensions",
        "CpuUtilization[1m]{a = \"x\",}.mean()|28|expected a dimension name",
        "`CpuUtilization[1m].mean() > `|29|expected a number",
        "CpuUtilization[1m].mean() > high|29|expected a number",
        "CpuUtilization[1m].mean() between (1, 2)|27|expected a comparison",
        "CpuUtilization[1m].mean() in (1 2)|33|between the two bounds",
        "CpuUtilization[1m].mean() not (1, 2)|31|expected 'in' after 'not'",
        "CpuUtilization[1m].mean() &&|29|expected a metric, a number or '(' but the query ends",
        "(CpuUtilization[1m].mean()|27|to close the parenthesis",
        "CpuUtilization[1m].mean() )|27|expected '&&', '||'",
        "[1m].mean()|1|expected a metric, a number or '('",
        "CpuUtilization[1m].mean() CpuUtilization[1m].mean()|27|expected a comparison",
    })
    void refusesInvalidQueriesNamingThePosition(String query, int position, String expected) {
        assertThatThrownBy(() -> MqlParser.parse(query))
                .isInstanceOf(MqlSyntaxError.class)
                .hasMessageStartingWith("at position " + position + ": ")
                .hasMessageContaining(expected)
                .satisfies(e -> assertThat(((MqlSyntaxError) e).position()).isEqualTo(position));
    }
}
