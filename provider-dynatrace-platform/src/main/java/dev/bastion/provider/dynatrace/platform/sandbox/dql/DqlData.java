package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/** The data a {@link DqlQuery} runs over: Grail tables and metric points. */
public interface DqlData {

    /**
     * The records of a data object such as "logs", "events", "bizevents", "spans", "dt.davis.problems",
     * "dt.security_events" or "dt.entity.host"; empty Optional when it does not exist. Records carry "timestamp"
     * (ISO-8601 string) where time-based.
     */
    Optional<List<ObjectNode>> table(String name);

    /** Points of a metric for timeseries: each point {timestamp (ISO), value (double), dimensions map}; empty when unknown. */
    Optional<List<ObjectNode>> metric(String key);
}
