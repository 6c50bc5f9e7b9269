package dev.bastion.core.spi;

/** The type of a configuration setting; values are converted and checked at startup. */
public enum SettingType {
    STRING,
    INTEGER,
    BOOLEAN,
    /** An ISO-8601 duration ({@code PT30S}) or a short form such as {@code 30s}, {@code 5m}, {@code 250ms}. */
    DURATION,
    /** An absolute http(s) URL. */
    URL,
    /** A file system path; reading the file goes through the path policy. */
    PATH,
    /** A list of strings: a YAML sequence, or a comma-separated string from the environment. */
    LIST,
    /** A structured YAML value (map or list of maps), passed as a Jackson {@code JsonNode}; its consumer validates it. */
    JSON
}
