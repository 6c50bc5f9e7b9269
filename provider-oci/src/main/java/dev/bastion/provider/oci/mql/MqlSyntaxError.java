package dev.bastion.provider.oci.mql;

/** An MQL query that does not parse; the message names the 1-based position and what was expected there. */
public final class MqlSyntaxError extends RuntimeException {

    private final int position;

    MqlSyntaxError(int position, String message) {
        super("at position " + position + ": " + message);
        this.position = position;
    }

    /** The 1-based character position of the problem. */
    public int position() {
        return position;
    }
}
