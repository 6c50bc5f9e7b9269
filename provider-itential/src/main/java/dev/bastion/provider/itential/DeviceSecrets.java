package dev.bastion.provider.itential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the credentials network devices keep in their configurations and show in command output:
 * enable secrets, user and neighbor passwords, OSPF/NTP/BGP authentication keys, TACACS+ and
 * RADIUS keys, IKE pre-shared keys, SNMP communities and SNMPv3 passwords, Junos encrypted
 * passwords, and password hashes ({@code $1$…}, {@code $9$…}) wherever they appear; and, in JSON
 * from the platform (job variables, instance data, device records), the values of keys whose names
 * say they hold a credential. Only the value is replaced, so a model still sees which line it was.
 */
final class DeviceSecrets {

    static final String MASK = "<masked by Bastion>";

    /** Each pattern's group {@code v} is the credential. */
    private static final List<Pattern> RULES = List.of(
            // password 7 X, secret 5 X, encrypted-password "X", pre-shared-key X, key-string X, authentication-key 1 md5 X
            Pattern.compile("(?i)\\b(?:password|secret|encrypted-password|pre-shared-key|key-string|authentication-key)"
                    + "(?:\\s+(?:\\d{1,2}|md5|sha\\d*|hmac-sha\\S*|cipher|hidden|encrypted|unencrypted|ascii-text))*"
                    + "\\s+(?<v>\"[^\"]*\"|\\S+)"),
            Pattern.compile("(?i)\\bmessage-digest-key\\s+\\d+\\s+md5(?:\\s+\\d{1,2})?\\s+(?<v>\\S+)"),
            Pattern.compile("(?i)\\bcommunity\\s+(?<v>\"[^\"]*\"|\\S+)"),
            Pattern.compile("(?i)\\b(?:tacacs|radius)\\S*(?:\\s+\\S+)*?\\s+key(?:\\s+\\d{1,2})?\\s+(?<v>\\S+)"),
            Pattern.compile("(?i)\\bcrypto\\s+isakmp\\s+key(?:\\s+\\d{1,2})?\\s+(?<v>\\S+)"),
            Pattern.compile("(?i)\\bsnmp-server\\s+host\\s+\\S+(?:\\s+(?:informs|traps))?(?:\\s+version\\s+\\S+)?"
                    + "(?:\\s+(?:auth|noauth|priv))?\\s+(?<v>(?!version\\b|informs\\b|traps\\b)\\S+)"),
            Pattern.compile("(?i)\\bsnmp-server\\s+user\\s+\\S+\\s+\\S+(?:\\s+v3)?(?:\\s+encrypted)?\\s+auth\\s+\\S+"
                    + "\\s+(?<v>\\S+)"),
            Pattern.compile("(?i)\\bpriv\\s+(?:des|3des|aes)(?:\\s+\\d{3})?\\s+(?<v>\\S+)"),
            // Hashes anywhere: MD5-crypt, SHA-crypt, Cisco type 8/9, Junos $9$, bcrypt, yescrypt.
            Pattern.compile("(?<v>\\$(?:1|5|6|8|9|y|2[aby])\\$[^\\s\"']+)"));

    /** Key names whose values are credentials, in JSON from the platform. */
    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "(?i).*(password|passwd|pwd|secret|passphrase|community|credential|token|private.?key|api.?key|auth.?key"
                    + "|pre.?shared).*");

    private DeviceSecrets() {
    }

    /** Masked text and how many lines had something masked. */
    record Masked(String text, int lines) {
    }

    static Masked mask(String text) {
        String[] lines = text.split("\n", -1);
        int changed = 0;
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < lines.length; i++) {
            String line = maskLine(lines[i]);
            if (!line.equals(lines[i])) {
                changed++;
            }
            out.append(line);
            if (i < lines.length - 1) {
                out.append('\n');
            }
        }
        return new Masked(out.toString(), changed);
    }

    private static String maskLine(String line) {
        String current = line;
        for (Pattern rule : RULES) {
            Matcher matcher = rule.matcher(current);
            StringBuilder out = new StringBuilder();
            int last = 0;
            while (matcher.find()) {
                if (matcher.group("v").equals(MASK) || matcher.group("v").startsWith("<masked")) {
                    continue;
                }
                out.append(current, last, matcher.start("v")).append(MASK);
                last = matcher.end("v");
            }
            out.append(current.substring(last));
            current = out.toString();
        }
        return current;
    }

    /** {@code node} with the values of credential-named keys masked, and device text in strings masked. */
    static JsonNode maskJson(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = ToolSupport.object();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                boolean sensitive = SENSITIVE_KEY.matcher(field.getKey()).matches()
                        && (field.getValue().isValueNode() && !field.getValue().isNull());
                out.set(field.getKey(), sensitive ? TextNode.valueOf(MASK) : maskJson(field.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ToolSupport.NODES.arrayNode();
            node.forEach(element -> out.add(maskJson(element)));
            return out;
        }
        if (node.isTextual()) {
            String masked = mask(node.asText()).text();
            return masked.equals(node.asText()) ? node : TextNode.valueOf(masked);
        }
        return node;
    }
}
