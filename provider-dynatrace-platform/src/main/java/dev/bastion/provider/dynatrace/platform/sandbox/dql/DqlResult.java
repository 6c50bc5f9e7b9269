package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * What a query produced.
 *
 * @param records        the result records, in order; DQL longs are JSON integers here (the HTTP layer renders them
 *                       as strings, as the real API does), timestamps ISO-8601 strings with nine fraction digits
 * @param scannedRecords records read from the data object within the timeframe (0 for timeseries)
 * @param scannedBytes   the sum of the scanned records' compact JSON sizes in UTF-8 bytes (0 for timeseries)
 * @param truncated      whether {@code maxRecords} cut the records
 */
public record DqlResult(List<ObjectNode> records, long scannedRecords, long scannedBytes, boolean truncated) {

    /** Keeps an unmodifiable copy of the records list. */
    public DqlResult {
        records = List.copyOf(records);
    }
}
