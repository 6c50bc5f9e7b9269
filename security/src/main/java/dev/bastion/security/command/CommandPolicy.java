package dev.bastion.security.command;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bastion.core.spi.ProviderConfigException;
import dev.bastion.security.validate.TextRules;
import dev.bastion.security.policy.Glob;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allowlist of host commands ({@code security.commands.allowed}). A tool names a command; the
 * executable comes from configuration, never from the tool's input, and every argument must match
 * one of the entry's patterns.
 *
 * <p>Shell metacharacters, quotes, backslashes and control characters are refused in every
 * argument, also when a pattern would match them. {@link CommandRunner} never involves a shell, so
 * they would be passed literally, but a command that hands its arguments to a shell itself
 * ({@code ssh host cmd}, {@code git -c alias.x=!cmd}, {@code find -exec}) would interpret them; no
 * real read-only operation needs them, so refusing them always is the simple, safe rule.
 */
public final class CommandPolicy {

    /** Characters a shell would interpret, plus quotes, backslash and line breaks. */
    static final String METACHARACTERS = ";|&$`><(){}[]*?!~#'\"\\\n\r\0";

    static final int DEFAULT_MAX_ARGS = 32;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;
    static final int MAX_ARGUMENT_LENGTH = 4096;

    private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_-]{0,63}$");
    private static final Pattern ENV_NAME = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");
    private static final Pattern SHORT_DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");
    private static final Set<String> FIELDS = Set.of("name", "executable", "args", "max_args", "timeout",
            "max_output_bytes", "env");
    private static final String KEY = "security.commands.allowed";

    private final Map<String, AllowedCommand> commands;
    private final Map<String, List<Glob>> patterns;

    public CommandPolicy(List<AllowedCommand> commands) {
        requireNonNull(commands, "commands is null");
        Map<String, AllowedCommand> byName = new LinkedHashMap<>();
        Map<String, List<Glob>> globs = new LinkedHashMap<>();
        for (AllowedCommand command : commands) {
            if (byName.put(command.name(), command) != null) {
                throw new ProviderConfigException(KEY + ": the command name '" + command.name() + "' appears twice");
            }
            List<Glob> compiled = new ArrayList<>();
            for (String pattern : command.argPatterns()) {
                try {
                    compiled.add(Glob.compile(pattern));
                } catch (IllegalArgumentException e) {
                    throw new ProviderConfigException(KEY + " '" + command.name() + "' args: " + e.getMessage());
                }
            }
            globs.put(command.name(), List.copyOf(compiled));
        }
        this.commands = Map.copyOf(byName);
        this.patterns = Map.copyOf(globs);
    }

    /** A policy that allows no command at all. */
    public static CommandPolicy none() {
        return new CommandPolicy(List.of());
    }

    /**
     * Parses the structured value of {@code security.commands.allowed}: a list of entries
     * {@code {name, executable, args, max_args, timeout, max_output_bytes, env}}.
     *
     * @throws ProviderConfigException naming the entry and field that is wrong
     */
    public static CommandPolicy fromJson(JsonNode allowed) {
        if (allowed == null || allowed.isNull() || allowed.isMissingNode()) {
            return none();
        }
        if (!allowed.isArray()) {
            throw new ProviderConfigException(KEY + " must be a list of commands");
        }
        List<AllowedCommand> entries = new ArrayList<>();
        for (int i = 0; i < allowed.size(); i++) {
            entries.add(parseEntry(allowed.get(i), KEY + "[" + i + "]"));
        }
        return new CommandPolicy(entries);
    }

    private static AllowedCommand parseEntry(JsonNode entry, String where) {
        if (!entry.isObject()) {
            throw new ProviderConfigException(where + " must be a map with name, executable and args");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                throw new ProviderConfigException(where + " has an unknown field '" + field + "'; known fields are "
                        + String.join(", ", FIELDS.stream().sorted().toList()));
            }
        }
        String name = requiredText(entry, "name", where);
        if (!NAME.matcher(name).matches()) {
            throw new ProviderConfigException(where + ".name must be lower-case letters, digits, '-' or '_', not '"
                    + name + "'");
        }
        String executableText = requiredText(entry, "executable", where);
        Path executable;
        try {
            executable = Path.of(executableText);
        } catch (InvalidPathException e) {
            throw new ProviderConfigException(where + ".executable '" + executableText + "' is not a valid path");
        }
        if (!executable.isAbsolute() || !executable.normalize().equals(executable)) {
            throw new ProviderConfigException(where + ".executable must be an absolute path without '.' or '..', not '"
                    + executableText + "'");
        }
        if (!Files.isRegularFile(executable) || !Files.isExecutable(executable)) {
            throw new ProviderConfigException(where + ".executable '" + executableText
                    + "' is not an executable file");
        }
        List<String> patterns = stringList(entry.get("args"), where + ".args");
        for (String pattern : patterns) {
            try {
                Glob.compile(pattern);
            } catch (IllegalArgumentException e) {
                throw new ProviderConfigException(where + ".args: " + e.getMessage());
            }
        }
        List<String> env = stringList(entry.get("env"), where + ".env");
        for (String variable : env) {
            String upper = variable.toUpperCase(Locale.ROOT);
            if (!ENV_NAME.matcher(variable).matches() || upper.startsWith("LD_") || upper.startsWith("DYLD_")) {
                throw new ProviderConfigException(where + ".env: '" + variable
                        + "' is not a variable name that may be passed to a command");
            }
        }
        return new AllowedCommand(name, executable, patterns,
                intField(entry, "max_args", DEFAULT_MAX_ARGS, 0, 1024, where),
                duration(entry.get("timeout"), where + ".timeout"),
                intField(entry, "max_output_bytes", DEFAULT_MAX_OUTPUT_BYTES, 1, 64 * 1024 * 1024, where),
                env);
    }

    private static String requiredText(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new ProviderConfigException(where + "." + field + " is required and must be text");
        }
        return value.asText().trim();
    }

    private static List<String> stringList(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new ProviderConfigException(where + " must be a list of text values");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode value : node) {
            if (!value.isTextual() && !value.isNumber()) {
                throw new ProviderConfigException(where + " must be a list of text values");
            }
            values.add(value.asText());
        }
        return values;
    }

    private static int intField(JsonNode entry, String field, int fallback, int min, int max, String where) {
        JsonNode value = entry.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        int number;
        try {
            if (value.isIntegralNumber() && value.canConvertToInt()) {
                number = value.intValue();
            } else if (value.isTextual()) {
                number = Integer.parseInt(value.asText().trim());
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new ProviderConfigException(where + "." + field + " must be a whole number, not '" + value.asText() + "'");
        }
        if (number < min || number > max) {
            throw new ProviderConfigException(where + "." + field + " must be between " + min + " and " + max
                    + ", not " + number);
        }
        return number;
    }

    static Duration duration(JsonNode value, String where) {
        if (value == null || value.isNull()) {
            return DEFAULT_TIMEOUT;
        }
        Duration parsed;
        if (value.isIntegralNumber()) {
            parsed = Duration.ofSeconds(value.longValue());
        } else {
            String text = value.asText().trim().toLowerCase(Locale.ROOT);
            Matcher matcher = SHORT_DURATION.matcher(text);
            if (matcher.matches()) {
                long amount = Long.parseLong(matcher.group(1));
                parsed = switch (matcher.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "s" -> Duration.ofSeconds(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    default -> Duration.ofHours(amount);
                };
            } else {
                try {
                    parsed = Duration.parse(text.toUpperCase(Locale.ROOT));
                } catch (DateTimeParseException e) {
                    throw new ProviderConfigException(where + " must be a duration such as 30s, 5m or PT30S, not '"
                            + value.asText() + "'");
                }
            }
        }
        if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(Duration.ofHours(1)) > 0) {
            throw new ProviderConfigException(where + " must be more than 0 and at most 1 hour");
        }
        return parsed;
    }

    /** The configured commands, by name. */
    public Map<String, AllowedCommand> commands() {
        return commands;
    }

    public Optional<AllowedCommand> command(String name) {
        return Optional.ofNullable(name == null ? null : commands.get(name));
    }

    /**
     * Checks a request to run {@code name} with {@code arguments}.
     *
     * @return the allowed command to run
     * @throws CommandPolicyException naming the rule the request breaks
     */
    public AllowedCommand check(String name, List<String> arguments) {
        requireNonNull(arguments, "arguments is null");
        AllowedCommand command = command(name).orElseThrow(() -> new CommandPolicyException("Command '"
                + printable(name) + "' is not in security.commands.allowed; allowed commands: "
                + (commands.isEmpty() ? "none" : String.join(", ", commands.keySet().stream().sorted().toList())) + "."));
        if (arguments.size() > command.maxArgs()) {
            throw new CommandPolicyException("Command '" + command.name() + "' accepts at most " + command.maxArgs()
                    + " arguments, not " + arguments.size() + ".");
        }
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (argument == null) {
                throw new CommandPolicyException("Argument " + (i + 1) + " of command '" + command.name() + "' is missing.");
            }
            if (argument.length() > MAX_ARGUMENT_LENGTH) {
                throw new CommandPolicyException("Argument " + (i + 1) + " of command '" + command.name()
                        + "' is longer than " + MAX_ARGUMENT_LENGTH + " characters.");
            }
            refuseMetacharacters(command.name(), i + 1, argument);
            if (patterns.get(command.name()).stream().noneMatch(glob -> glob.matches(argument))) {
                throw new CommandPolicyException("Argument " + (i + 1) + " of command '" + command.name() + "' ('"
                        + argument + "') matches none of the allowed patterns " + command.argPatterns() + ".");
            }
        }
        return command;
    }

    private static void refuseMetacharacters(String name, int position, String argument) {
        String folded = Normalizer.normalize(argument, Normalizer.Form.NFKC);
        for (String form : List.of(argument, folded)) {
            for (int i = 0; i < form.length(); i++) {
                char c = form.charAt(i);
                if (METACHARACTERS.indexOf(c) >= 0 || TextRules.breaksQueryText(c)) {
                    throw new CommandPolicyException("Argument " + position + " of command '" + name
                            + "' contains the character " + describe(c) + "; shell metacharacters, quotes, backslashes "
                            + "and control characters are never allowed in command arguments.");
                }
            }
        }
    }

    private static String describe(char c) {
        if (c >= 0x21 && c < 0x7f) {
            return "'" + c + "'";
        }
        return String.format(Locale.ROOT, "U+%04X", (int) c);
    }

    /** The name as it may be echoed: control characters would corrupt logs and messages. */
    private static String printable(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length() && i < 100; i++) {
            char c = name.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }
}
