package dev.bastion.provider.dynatrace.platform.sandbox.dql;

import java.util.List;

/**
 * A DQL query that does not parse or cannot be evaluated, with the place in the query text it points at.
 *
 * <p>Positions are 1-based (line, column) like the real API's {@code syntaxErrorPosition.start}; {@link #index()} is the
 * 0-based character offset and the {@code end*} accessors give the last character of the offending token (inclusive,
 * like the real API's {@code end}). {@link #code()} is the real API's {@code errorType} word, {@link #getMessage()} its
 * {@code errorMessage}, and {@link #arguments()} its {@code arguments}.
 */
public final class DqlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A syntax error: an unexpected or missing token ("`x` isn't allowed here."). Real API word. */
    public static final String PARSE_ERROR = "PARSE_ERROR";
    /** A string literal in single quotes. Real API word. */
    public static final String PARSE_ERROR_SINGLE_QUOTES = "PARSE_ERROR_SINGLE_QUOTES";
    /** A command name that DQL does not have ("There's no command `limt`."). Real API word. */
    public static final String UNKNOWN_COMMAND = "UNKNOWN_COMMAND";
    /** A real DQL command this simulator does not evaluate. */
    public static final String UNSUPPORTED_COMMAND = "UNSUPPORTED_COMMAND";
    /** A function name that is not known ("There's no function `foo`."). */
    public static final String UNKNOWN_FUNCTION = "UNKNOWN_FUNCTION";
    /** A named parameter the command or function does not take. */
    public static final String UNKNOWN_PARAMETER = "UNKNOWN_PARAMETER";
    /** A data object that does not exist ("There's no data object `x`."). */
    public static final String UNKNOWN_DATA_OBJECT = "UNKNOWN_DATA_OBJECT";
    /** A value of the wrong type for a function, operator or parameter, or a wrong number of arguments. */
    public static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";

    private final String code;
    private final int line;
    private final int column;
    private final int index;
    private final int endLine;
    private final int endColumn;
    private final int endIndex;
    private final List<String> arguments;

    /** A parse error ({@link #PARSE_ERROR}) at one character. */
    public DqlException(String message, int line, int column) {
        this(PARSE_ERROR, message, line, column, -1, line, column, -1, List.of());
    }

    /** An error with its code, start and end position (end inclusive) and the message's arguments. */
    public DqlException(String code, String message, int line, int column, int index,
                        int endLine, int endColumn, int endIndex, List<String> arguments) {
        super(message);
        this.code = code;
        this.line = line;
        this.column = column;
        this.index = index;
        this.endLine = endLine;
        this.endColumn = endColumn;
        this.endIndex = endIndex;
        this.arguments = List.copyOf(arguments);
    }

    /** 1-based line of the first offending character. */
    public int line() {
        return line;
    }

    /** 1-based column of the first offending character. */
    public int column() {
        return column;
    }

    /** 0-based offset of the first offending character in the query text, or -1 when not known. */
    public int index() {
        return index;
    }

    /** 1-based line of the last offending character. */
    public int endLine() {
        return endLine;
    }

    /** 1-based column of the last offending character. */
    public int endColumn() {
        return endColumn;
    }

    /** 0-based offset of the last offending character, or -1 when not known. */
    public int endIndex() {
        return endIndex;
    }

    /** The values filled into the message (for instance the unknown command's name). */
    public List<String> arguments() {
        return arguments;
    }

    /**
     * The real API's error code word: {@link #PARSE_ERROR}, {@link #PARSE_ERROR_SINGLE_QUOTES}, {@link #UNKNOWN_COMMAND},
     * {@link #UNSUPPORTED_COMMAND}, {@link #UNKNOWN_FUNCTION}, {@link #UNKNOWN_PARAMETER}, {@link #UNKNOWN_DATA_OBJECT}
     * or {@link #INVALID_ARGUMENT}.
     */
    public String code() {
        return code;
    }
}
