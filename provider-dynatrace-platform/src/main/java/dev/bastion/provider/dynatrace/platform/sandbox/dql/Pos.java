package dev.bastion.provider.dynatrace.platform.sandbox.dql;

/** A span [start, end) of the query text, as 0-based offsets. */
record Pos(int start, int end) {

    static Pos of(Token t) {
        return new Pos(t.start(), t.end());
    }

    Pos to(Pos other) {
        return new Pos(start, Math.max(end, other.end));
    }
}
