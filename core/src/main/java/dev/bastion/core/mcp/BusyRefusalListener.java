package dev.bastion.core.mcp;

/**
 * Told of every request refused as "Server busy", on the thread that refused it: it must be quick
 * and must not block (the server is, by definition, overloaded when it is called).
 */
@FunctionalInterface
public interface BusyRefusalListener {

    BusyRefusalListener NONE = refusal -> { };

    void refused(BusyRefusal refusal);
}
