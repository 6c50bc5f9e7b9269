package dev.bastion.provider.dynatrace.platform.sandbox.dql;

/**
 * One lexical token of a DQL query.
 *
 * @param kind   what it is
 * @param text   the source text it covers (for an identifier: the name, without backticks)
 * @param value  the literal's value: String, Long, Double or java.time.Duration; null otherwise
 * @param quoted an identifier written in backticks (never a keyword)
 * @param start  0-based offset of its first character
 * @param end    0-based offset just past its last character
 */
record Token(Kind kind, String text, Object value, boolean quoted, int start, int end) {

    enum Kind {
        IDENT, STRING, NUMBER, DURATION,
        PIPE, COMMA, COLON, LPAREN, RPAREN, LBRACE, RBRACE, LBRACKET, RBRACKET,
        ASSIGN, EQ, NE, LT, LE, GT, GE, PLUS, MINUS, STAR, SLASH, PERCENT,
        EOF
    }

    /** An unquoted identifier spelled {@code word}, ignoring case (DQL keywords are case-insensitive). */
    boolean isWord(String word) {
        return kind == Kind.IDENT && !quoted && text.equalsIgnoreCase(word);
    }

    boolean is(Kind k) {
        return kind == k;
    }
}
