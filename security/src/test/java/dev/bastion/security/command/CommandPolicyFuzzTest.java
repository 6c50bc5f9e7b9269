package dev.bastion.security.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;
import java.text.Normalizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzzing of the host and device command policies. Whatever a tool asks for, the
 * policy either refuses it with a {@link CommandPolicyException} or allows something that an
 * independent reading of the rules (written here, not taken from the policies) allows too: a
 * configured command, every argument matching a pattern and free of shell metacharacters and
 * invisible characters; a device command that is one show/display/ping/traceroute command, with no
 * separator, line break or control character and no configuration-mode or configuration-dump
 * command, in any case, width or spacing.
 *
 * <p>In a normal build the fuzz tests replay their corpus ({@code CommandPolicyFuzzTestInputs/});
 * with {@code JAZZER_FUZZ=1} they fuzz (scripts/fuzz.sh).
 */
class CommandPolicyFuzzTest {

    private static final Map<String, List<String>> PATTERNS = Map.of(
            "kubectl", List.of("get", "pods", "-n", "ns-*", "--output=json"),
            "ping", List.of("-c", "?", "*.example.com"),
            "git", List.of("log", "--oneline", "*"));
    private static final int MAX_ARGS = 4;
    private static final String[] NAMES = {"kubectl", "ping", "git", "rm", "KUBECTL", "git "};
    /** The characters the policy documents as never allowed, spelt out again here. */
    private static final String NEVER = ";|&$`><(){}[]*?!~#'\"\\\n\r\0";

    private static final CommandPolicy COMMANDS = new CommandPolicy(PATTERNS.entrySet().stream()
            .map(entry -> new AllowedCommand(entry.getKey(), Path.of("/usr/bin/" + entry.getKey()), entry.getValue(),
                    MAX_ARGS, Duration.ofSeconds(5), 4096, List.of()))
            .toList());
    private static final DeviceCommandPolicy DEVICE = DeviceCommandPolicy.defaults();

    private static final Set<String> ALLOWED_VERBS = Set.of("show", "display", "ping", "traceroute");
    /** Second words of show/display that dump the configuration (passwords, keys), as prefixes. */
    private static final Map<String, List<String>> DUMPS = Map.of(
            "show", List.of("run", "start", "conf", "tech"),
            "display", List.of("current", "saved"));

    @FuzzTest
    void noRefusedHostCommandIsAllowed(FuzzedDataProvider data) {
        String name = data.consumeBoolean() ? NAMES[data.consumeInt(0, NAMES.length - 1)] : data.consumeString(20);
        int count = data.consumeInt(0, MAX_ARGS + 1);
        List<String> arguments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            arguments.add(i == count - 1 ? data.consumeRemainingAsString() : data.consumeString(64));
        }

        AllowedCommand allowed;
        try {
            allowed = COMMANDS.check(name, arguments);
        } catch (CommandPolicyException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }

        assertThat(allowed.name()).isEqualTo(name);
        assertThat(PATTERNS).containsKey(name);
        assertThat(arguments).hasSizeLessThanOrEqualTo(MAX_ARGS);
        for (String argument : arguments) {
            assertThat(argument).hasSizeLessThanOrEqualTo(CommandPolicy.MAX_ARGUMENT_LENGTH);
            for (String form : List.of(argument, Normalizer.normalize(argument, Normalizer.Form.NFKC))) {
                assertThat(form.chars().noneMatch(c -> NEVER.indexOf(c) >= 0 || invisible(c)))
                        .as("argument %s of an allowed %s holds a metacharacter or an invisible character", form, name)
                        .isTrue();
            }
            assertThat(PATTERNS.get(name).stream().anyMatch(pattern -> globMatches(pattern, argument)))
                    .as("argument %s of an allowed %s matches a pattern", argument, name)
                    .isTrue();
        }
    }

    @FuzzTest
    void noSeparatorLineBreakOrConfigurationCommandReachesADevice(FuzzedDataProvider data) {
        String command = data.consumeRemainingAsString();

        String allowed;
        try {
            allowed = DEVICE.check(command);
        } catch (CommandPolicyException refused) {
            assertThat(refused.getMessage()).isNotBlank();
            return;
        }

        for (String form : List.of(command, Normalizer.normalize(command, Normalizer.Form.NFKC), allowed)) {
            assertThat(form.chars().noneMatch(c -> ";|&`$><".indexOf(c) >= 0 || c == '\n' || c == '\r'
                    || c == 0x2028 || c == 0x2029 || c == 0x85 || (c != '\t' && invisible(c))))
                    .as("the allowed device command %s holds a separator, line break or control character", form)
                    .isTrue();
        }
        List<String> words = words(Normalizer.normalize(allowed, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT));
        assertThat(words).as("words of the allowed %s", allowed).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ALLOWED_VERBS).as("the verb of the allowed %s", allowed).contains(words.get(0));
        for (String dump : DUMPS.getOrDefault(words.get(0), List.of())) {
            assertThat(words.get(1)).as("the allowed %s dumps the configuration", allowed).doesNotStartWith(dump);
        }
        assertThat(DEVICE.check(allowed)).as("the normalised command is allowed as it is").isEqualTo(allowed);
    }

    /** Words split at any Unicode space, so a space the policy does not collapse cannot hide a verb. */
    private static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    private static boolean invisible(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /**
     * A glob matcher of its own ({@code *} any run, {@code ?} one character), to check the policy's.
     * Characters are code points, as in the policy: {@code ?} matches a character outside the BMP too.
     */
    static boolean globMatches(String glob, String text) {
        return globMatches(glob.codePoints().toArray(), 0, text.codePoints().toArray(), 0);
    }

    private static boolean globMatches(int[] glob, int g, int[] text, int t) {
        while (g < glob.length) {
            int c = glob[g];
            if (c == '*') {
                for (int rest = text.length; rest >= t; rest--) {
                    if (globMatches(glob, g + 1, text, rest)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length || (c != '?' && c != text[t])) {
                return false;
            }
            g++;
            t++;
        }
        return t == text.length;
    }

    @Test
    void theOwnGlobMatcherReadsStarsAndQuestionMarks() {
        assertThat(globMatches("ns-*", "ns-prod")).isTrue();
        assertThat(globMatches("*.example.com", "a.b.example.com")).isTrue();
        assertThat(globMatches("?", "ab")).isFalse();
        assertThat(globMatches("get", "gets")).isFalse();
        assertThat(globMatches("?", "\uD84D\uDF74")).as("one character outside the BMP").isTrue();
    }

    @Test
    void theDeviceOracleRefusesWhatThePolicyRefuses() {
        assertThat(words("show\u1680running-config")).containsExactly("show", "running-config");
        assertThat(DEVICE.check("SHOW   Version")).isEqualTo("SHOW Version");
    }
}
