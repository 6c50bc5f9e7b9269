package dev.bastion.security.redact;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bastion.core.sanitize.Redactor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redactor of the whole server: replaces registered secret values (and their Base64,
 * URL-safe Base64 and URL-encoded forms) and well-known credential shapes with
 * {@value #MASK}, keeping at most a short non-secret prefix such as {@code dt0c01.}.
 *
 * <p>Recognised shapes: Dynatrace tokens and OAuth clients ({@code dt0c01.}, {@code dt0s02.},
 * {@code dt0s16.} ...), JWTs, {@code Bearer}, {@code Basic} and {@code Api-Token} credentials,
 * PEM private key blocks, {@code password=}/{@code secret=}/{@code token=}/{@code api_key=}
 * pairs (also with {@code :}, as JSON members and as escaped JSON inside a string), user info in
 * URLs, Anthropic {@code sk-ant-} keys and OCI {@code ST$} security tokens. A registered secret
 * inside an {@code Authorization} header value is covered by the value itself.
 *
 * <p>Speed matters because every log event and every tool result passes through here. The text
 * is scanned once, left to right, by a loop that tests each position against two 64 K-bit
 * tables (its first two characters and its second and third) built from the registered secrets
 * and the shapes' anchors ({@code dt0}, {@code eyJ}, {@code sec} ...). Only positions both tables
 * accept are examined: literals by exact comparison, longest first; shapes by hand-written
 * matchers that consume what they redact and remember the runs they measured, so the work stays
 * linear even on hostile input (no regular expressions, no backtracking). Text without anything
 * to redact is returned as is, without copying.
 *
 * <p>Thread-safe: {@link #registerSecret} publishes a new immutable snapshot of the literal
 * table, so it may run at any time while other threads redact.
 */
public final class SecretRedactor implements Redactor {

    public static final String MASK = "[REDACTED]";

    /** Secrets shorter than this would match ordinary text everywhere. */
    public static final int MIN_SECRET_LENGTH = 4;

    private static final Logger LOG = LoggerFactory.getLogger(SecretRedactor.class);

    private static final String[] SENSITIVE_KEYS = {
        "password", "passwd", "secret", "token", "api_key", "apikey", "api-key"
    };

    private final Object registrationLock = new Object();
    private volatile Literals literals = Literals.EMPTY;

    public SecretRedactor() {
    }

    /** A redactor that already knows {@code secrets}. */
    public static SecretRedactor withSecrets(Iterable<String> secrets) {
        SecretRedactor redactor = new SecretRedactor();
        for (String secret : secrets) {
            redactor.registerSecret(secret);
        }
        return redactor;
    }

    @Override
    public void registerSecret(String value) {
        requireNonNull(value, "value is null");
        if (value.length() < MIN_SECRET_LENGTH) {
            if (!value.isEmpty()) {
                LOG.warn("Not registering a secret of length {} for redaction: secrets shorter than {} characters "
                        + "would redact ordinary text", value.length(), MIN_SECRET_LENGTH);
            }
            return;
        }
        synchronized (registrationLock) {
            Set<String> forms = new LinkedHashSet<>(literals.values);
            forms.addAll(derivedForms(value));
            literals = Literals.of(forms);
        }
    }

    /** The number of literal forms registered, for diagnostics and tests; never the forms themselves. */
    public int registeredFormCount() {
        return literals.values.size();
    }

    @Override
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        return new Scan(text, literals).run();
    }

    /** Returns a copy of {@code tree} with every string value redacted; see {@link #redactTree}. */
    public JsonNode redact(JsonNode tree) {
        return redactTree(this, tree);
    }

    /**
     * Returns a copy of {@code tree} with every string value passed through {@code redactor}, and
     * the string values of credential-like members ({@code password}, {@code client_secret},
     * {@code api_token} ...) replaced by {@value #MASK} entirely. Member names are kept.
     */
    public static JsonNode redactTree(Redactor redactor, JsonNode tree) {
        requireNonNull(redactor, "redactor is null");
        if (tree == null) {
            return null;
        }
        return redactNode(redactor, tree, false);
    }

    /** Whether a member or parameter named {@code name} holds a credential by its name. */
    public static boolean isSensitiveKey(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (String key : SENSITIVE_KEYS) {
            if (lower.endsWith(key)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode redactNode(Redactor redactor, JsonNode node, boolean sensitive) {
        if (node.isTextual()) {
            if (sensitive && !node.textValue().isEmpty()) {
                return TextNode.valueOf(MASK);
            }
            String redacted = redactor.redact(node.textValue());
            return redacted.equals(node.textValue()) ? node : TextNode.valueOf(redacted);
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                copy.set(field.getKey(), redactNode(redactor, field.getValue(), isSensitiveKey(field.getKey())));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode(node.size());
            for (JsonNode element : node) {
                copy.add(redactNode(redactor, element, sensitive));
            }
            return copy;
        }
        // Numbers, booleans, null and binary carry no text a secret could hide in.
        return node.deepCopy();
    }

    private static List<String> derivedForms(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        String standard = Base64.getEncoder().encodeToString(bytes);
        forms.add(standard);
        forms.add(stripPadding(standard));
        String urlSafe = Base64.getUrlEncoder().encodeToString(bytes);
        forms.add(urlSafe);
        forms.add(stripPadding(urlSafe));
        String urlEncoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(urlEncoded);
        forms.add(urlEncoded.replace("+", "%20"));
        forms.removeIf(form -> form.length() < MIN_SECRET_LENGTH);
        return List.copyOf(forms);
    }

    private static String stripPadding(String base64) {
        int end = base64.length();
        while (end > 0 && base64.charAt(end - 1) == '=') {
            end--;
        }
        return base64.substring(0, end);
    }

    /** An immutable table of literal secret forms, indexed by their first two characters. */
    private static final class Literals {
        static final Literals EMPTY = of(Set.of());

        final List<String> values;
        /**
         * 65,536 bits; bit {@code pairHash} is set when a literal or a credential shape may start
         * with that pair. 8 KiB, so it stays in the L1 cache during a scan.
         */
        final long[] pairBits;
        /** The same for the second and third characters: a position is examined only when both tables agree. */
        final long[] secondPairBits;
        /** Literals by pair hash, longest first so the longest match wins. */
        final String[][] byPair;

        private Literals(List<String> values, long[] pairBits, long[] secondPairBits, String[][] byPair) {
            this.values = values;
            this.pairBits = pairBits;
            this.secondPairBits = secondPairBits;
            this.byPair = byPair;
        }

        static Literals of(Set<String> forms) {
            long[] bits = ANCHOR_PAIRS.clone();
            long[] secondBits = ANCHOR_SECOND_PAIRS.clone();
            Map<Integer, List<String>> grouped = new HashMap<>();
            for (String form : forms) {
                int hash = pairHash(form.charAt(0), form.charAt(1));
                bits[hash >>> 6] |= 1L << hash;
                int second = pairHash(form.charAt(1), form.charAt(2));
                secondBits[second >>> 6] |= 1L << second;
                grouped.computeIfAbsent(hash, h -> new ArrayList<>()).add(form);
            }
            String[][] byPair = new String[65536][];
            grouped.forEach((hash, list) -> {
                list.sort(Comparator.comparingInt(String::length).reversed());
                byPair[hash] = list.toArray(String[]::new);
            });
            return new Literals(List.copyOf(forms), bits, secondBits, byPair);
        }

        boolean isEmpty() {
            return values.isEmpty();
        }
    }

    /** One left-to-right pass over a text; creates the output only once something is redacted. */
    private static final class Scan {
        private final String text;
        private final int length;
        private final Literals literals;
        private StringBuilder out;
        /** Everything before this index has been copied to {@link #out} (or needs no copy). */
        private int copied;
        /** The last base64url run measured: {@code [base64RunStart, base64RunEnd)}. */
        private int base64RunStart = -1;
        private int base64RunEnd = -1;

        Scan(String text, Literals literals) {
            this.text = text;
            this.length = text.length();
            this.literals = literals;
        }

        String run() {
            int i = 0;
            while ((i = nextCandidate(i)) >= 0) {
                char c = text.charAt(i);
                char next = text.charAt(i + 1);
                int hash = pairHash(c, next);
                int end = literals.byPair[hash] == null ? -1 : matchLiteral(i, hash);
                if (end > 0) {
                    replace(i, end, MASK);
                } else {
                    end = matchShape(i, c, next);
                }
                i = end > i ? end : i + 1;
            }
            if (out == null) {
                return text;
            }
            out.append(text, copied, length);
            return out.toString();
        }

        /**
         * The next position at or after {@code from} where a secret or a credential shape may start,
         * or -1. Nothing to find is shorter than three characters, so a position qualifies when its
         * first two characters and its second and third characters are both in the tables. This
         * loop is where the time goes, so it makes no calls and keeps everything in locals.
         */
        private int nextCandidate(int from) {
            String t = text;
            int end = length - 2;
            if (from >= end) {
                return -1;
            }
            long[] first = literals.pairBits;
            long[] second = literals.secondPairBits;
            char c0 = t.charAt(from);
            char c1 = t.charAt(from + 1);
            for (int i = from; i < end; i++) {
                char c2 = t.charAt(i + 2);
                int h1 = ((c0 << 8) ^ c1) & 0xFFFF;
                if ((first[h1 >>> 6] & (1L << h1)) != 0) {
                    int h2 = ((c1 << 8) ^ c2) & 0xFFFF;
                    if ((second[h2 >>> 6] & (1L << h2)) != 0) {
                        return i;
                    }
                }
                c0 = c1;
                c1 = c2;
            }
            return -1;
        }

        private int matchLiteral(int start, int hash) {
            String[] candidates = literals.byPair[hash];
            if (candidates == null) {
                return -1;
            }
            for (String candidate : candidates) {
                if (text.startsWith(candidate, start)) {
                    return start + candidate.length();
                }
            }
            return -1;
        }

        /** Replaces {@code [start, end)} with {@code replacement}. */
        private void replace(int start, int end, String replacement) {
            if (out == null) {
                out = new StringBuilder(length + 16);
            }
            out.append(text, copied, start).append(replacement);
            copied = end;
        }

        /**
         * Tries the credential shapes anchored at {@code i}; returns where scanning continues, or
         * {@code i}. The second character is checked first so that ordinary text, where the
         * anchor letters are common, costs one comparison per anchor.
         */
        private int matchShape(int i, char c, char n) {
            char lowerN = (char) (n | 0x20);
            switch (c) {
                case 'd':
                    return n == 't' ? dynatraceToken(i) : i;
                case 'e':
                    return n == 'y' ? jwt(i) : i;
                case '-':
                    return n == '-' ? pemPrivateKey(i) : i;
                case 'A': case 'a':
                    if (lowerN != 'p') {
                        return i;
                    }
                    int afterScheme = authScheme(i, "api-token");
                    return afterScheme != i ? afterScheme : keyValue(i);
                case 'B': case 'b':
                    if (lowerN == 'e') {
                        return authScheme(i, "bearer");
                    }
                    return lowerN == 'a' ? authScheme(i, "basic") : i;
                case 'P': case 'p':
                    return lowerN == 'a' ? keyValue(i) : i;
                case 'S':
                    if (n == 'T') {
                        return ociSecurityToken(i);
                    }
                    return lowerN == 'e' ? keyValue(i) : i;
                case 's':
                    if (n == 'k') {
                        return anthropicKey(i);
                    }
                    return lowerN == 'e' ? keyValue(i) : i;
                case 'T': case 't':
                    return lowerN == 'o' ? keyValue(i) : i;
                case ':':
                    return n == '/' ? urlUserInfo(i) : i;
                default:
                    return i;
            }
        }

        /**
         * Masks the value {@code [start, end)}, keeping the prefix of a Dynatrace token. Returns
         * where scanning continues: a registered secret starting at {@code start} that reaches
         * further than the shape (a password with a {@code !} in it after {@code Bearer }) is
         * masked whole.
         */
        private int maskValue(int start, int end) {
            int literalEnd = literalEndAt(start);
            if (literalEnd > end) {
                replace(start, literalEnd, MASK);
                return literalEnd;
            }
            int dtEnd = dynatraceTokenEnd(start);
            if (dtEnd == end) {
                replace(start + 7, end, MASK);
            } else {
                replace(start, end, MASK);
            }
            return end;
        }

        private int literalEndAt(int start) {
            if (literals.isEmpty() || start + 1 >= length) {
                return -1;
            }
            return matchLiteral(start, pairHash(text.charAt(start), text.charAt(start + 1)));
        }

        // dt0c01.PUBLIC.SECRET and dt0s02.PUBLIC: keep "dt0c01.", hide the rest.
        private int dynatraceToken(int i) {
            int end = dynatraceTokenEnd(i);
            if (end < 0) {
                return i;
            }
            replace(i + 7, end, MASK);
            return end;
        }

        /** The end of a Dynatrace token starting at {@code i}, or -1. */
        private int dynatraceTokenEnd(int i) {
            if (i + 7 >= length || text.charAt(i + 1) != 't' || text.charAt(i + 2) != '0'
                    || !isLowerAscii(text.charAt(i + 3)) || !isDigit(text.charAt(i + 4))
                    || !isDigit(text.charAt(i + 5)) || text.charAt(i + 6) != '.') {
                return -1;
            }
            int publicEnd = spanAlnum(i + 7);
            if (publicEnd - (i + 7) < 6) {
                return -1;
            }
            if (publicEnd + 1 < length && text.charAt(publicEnd) == '.') {
                int secretEnd = spanAlnum(publicEnd + 1);
                if (secretEnd > publicEnd + 1) {
                    return secretEnd;
                }
            }
            return publicEnd;
        }

        // eyJ<header>.<payload>.<signature>, three base64url segments.
        private int jwt(int i) {
            if (!text.startsWith("eyJ", i)) {
                return i;
            }
            int first = spanBase64Url(i);
            if (first - i < 10 || first >= length || text.charAt(first) != '.') {
                return i;
            }
            int second = spanBase64Url(first + 1);
            if (second == first + 1 || second >= length || text.charAt(second) != '.') {
                return i;
            }
            int third = spanBase64Url(second + 1);
            replace(i, third, MASK);
            return third;
        }

        // -----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY----- ... -----END ...PRIVATE KEY-----
        private int pemPrivateKey(int i) {
            if (!text.startsWith("-----BEGIN ", i)) {
                return i;
            }
            int headerEnd = text.indexOf("-----", i + 11);
            if (headerEnd < 0 || headerEnd - i > 80) {
                return i;
            }
            String label = text.substring(i + 11, headerEnd);
            if (!label.endsWith("PRIVATE KEY")) {
                return i;
            }
            String footer = "-----END " + label + "-----";
            int footerStart = text.indexOf(footer, headerEnd + 5);
            // A block cut short (truncated output) is redacted to the end: its key material is still secret.
            int end = footerStart < 0 ? length : footerStart + footer.length();
            replace(i, end, MASK);
            return end;
        }

        // "Bearer <credential>" and "Api-Token <credential>", any case.
        private int authScheme(int i, String scheme) {
            if (!startsWithIgnoreCase(i, scheme)) {
                return i;
            }
            if (i > 0 && isAlnum(text.charAt(i - 1))) {
                return i;
            }
            int valueStart = i + scheme.length();
            int spaceEnd = valueStart;
            while (spaceEnd < length && spaceEnd - valueStart < 8 && (text.charAt(spaceEnd) == ' '
                    || text.charAt(spaceEnd) == '\t')) {
                spaceEnd++;
            }
            if (spaceEnd == valueStart) {
                return i;
            }
            int end = spaceEnd;
            boolean credentialLike = false;
            boolean seenLower = false;
            while (end < length && isTokenChar(text.charAt(end))) {
                char v = text.charAt(end);
                if (!isLetter(v) || (seenLower && v <= 'Z')) {
                    credentialLike = true;
                }
                seenLower |= v >= 'a';
                end++;
            }
            // "Bearer authentication" is prose; credentials contain digits, punctuation or inner capitals.
            if (end - spaceEnd < 8 || !credentialLike) {
                return i;
            }
            return maskValue(spaceEnd, end);
        }

        // password=..., "client_secret": "...", api_key: ..., token=... (key kept, value hidden).
        private int keyValue(int i) {
            String key = sensitiveKeyAt(i);
            if (key == null) {
                return i;
            }
            int p = i + key.length();
            boolean quotedKey = false;
            if (p < length && (text.charAt(p) == '"' || text.charAt(p) == '\'')) {
                quotedKey = true;
                p++;
            } else if (text.startsWith("\\\"", p)) {
                // JSON inside a JSON string (a logged request body): the quotes arrive escaped.
                quotedKey = true;
                p += 2;
            }
            p = skipBlanks(p);
            if (p >= length || (text.charAt(p) != '=' && text.charAt(p) != ':')) {
                return i;
            }
            p = skipBlanks(p + 1);
            if (p >= length) {
                return i;
            }
            char open = text.charAt(p);
            boolean escapedQuote = open == '\\' && p + 1 < length && text.charAt(p + 1) == '"';
            if (open == '"' || open == '\'' || escapedQuote) {
                int valueStart = escapedQuote ? p + 2 : p + 1;
                int close = escapedQuote ? closingEscapedQuote(valueStart) : closingQuote(valueStart, open);
                if (close == valueStart) {
                    return i;
                }
                if (close < 0) {
                    // Unterminated (a truncated line): everything up to the end of the line is the value.
                    int lineEnd = lineEnd(valueStart);
                    if (lineEnd == valueStart) {
                        return i;
                    }
                    replace(valueStart, lineEnd, MASK);
                    return lineEnd;
                }
                int valueEnd = maskValue(valueStart, close);
                return valueEnd > close ? valueEnd : close + 1;
            }
            if (quotedKey) {
                // A JSON member whose value is a number, object, null or boolean carries no secret text.
                return i;
            }
            int end = p;
            while (end < length && isUnquotedValueChar(text.charAt(end))) {
                end++;
            }
            if (end == p) {
                return i;
            }
            return maskValue(p, end);
        }

        private String sensitiveKeyAt(int i) {
            switch (text.charAt(i) | 0x20) {
                case 'p':
                    return keyAt(i, "password", "passwd");
                case 's':
                    return keyAt(i, "secret");
                case 't':
                    return keyAt(i, "token");
                case 'a':
                    return keyAt(i, "api_key", "apikey", "api-key");
                default:
                    return null;
            }
        }

        private String keyAt(int i, String... keys) {
            for (String key : keys) {
                if (startsWithIgnoreCase(i, key)) {
                    return key;
                }
            }
            return null;
        }

        // scheme://user:password@host: keep the scheme and the host.
        private int urlUserInfo(int i) {
            if (i == 0 || !text.startsWith("://", i) || !isAlnum(text.charAt(i - 1))) {
                return i;
            }
            int start = i + 3;
            int p = start;
            while (p < length && p - start < 512) {
                char c = text.charAt(p);
                if (c == '@') {
                    if (p == start) {
                        return i;
                    }
                    replace(start, p, MASK);
                    return p;
                }
                if (c <= ' ' || c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' || c == '<' || c == '>') {
                    return i;
                }
                p++;
            }
            return i;
        }

        // sk-ant-api03-...: keep "sk-ant-".
        private int anthropicKey(int i) {
            if (!text.startsWith("sk-ant-", i)) {
                return i;
            }
            int end = spanBase64Url(i + 7);
            if (end - (i + 7) < 8) {
                return i;
            }
            replace(i + 7, end, MASK);
            return end;
        }

        // OCI session security tokens: ST$<base64 JWT-like>. Keep "ST$".
        private int ociSecurityToken(int i) {
            if (!text.startsWith("ST$", i)) {
                return i;
            }
            int end = i + 3;
            while (end < length && isTokenChar(text.charAt(end))) {
                end++;
            }
            if (end - (i + 3) < 8) {
                return i;
            }
            replace(i + 3, end, MASK);
            return end;
        }

        /**
         * Whether {@code lowerKey} (lower-case ASCII) starts at {@code i}, ignoring ASCII case. Hand
         * written because most calls fail at the third character and must fail fast.
         */
        private boolean startsWithIgnoreCase(int i, String lowerKey) {
            int n = lowerKey.length();
            if (i + n > length) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                char expected = lowerKey.charAt(k);
                char actual = text.charAt(i + k);
                if (actual != expected && !(isLetter(actual) && (actual | 0x20) == expected)) {
                    return false;
                }
            }
            return true;
        }

        /** The closing {@code quote}, skipping backslash escapes, or -1 when the line ends first. */
        private int closingQuote(int from, char quote) {
            int p = from;
            while (p < length) {
                char c = text.charAt(p);
                if (c == '\\') {
                    p += 2;
                    continue;
                }
                if (c == quote) {
                    return p;
                }
                if (c == '\n') {
                    return -1;
                }
                p++;
            }
            return -1;
        }

        /** The {@code \"} that closes a value opened with {@code \"}, or -1 when the line ends first. */
        private int closingEscapedQuote(int from) {
            for (int p = from; p + 1 < length; p++) {
                char c = text.charAt(p);
                if (c == '\n') {
                    return -1;
                }
                if (c == '\\') {
                    if (text.charAt(p + 1) == '"') {
                        return p;
                    }
                    p++;
                }
            }
            return -1;
        }

        private int lineEnd(int from) {
            int p = from;
            while (p < length && text.charAt(p) != '\n' && text.charAt(p) != '\r') {
                p++;
            }
            return p;
        }

        private int skipBlanks(int p) {
            while (p < length && (text.charAt(p) == ' ' || text.charAt(p) == '\t')) {
                p++;
            }
            return p;
        }

        private int spanAlnum(int p) {
            while (p < length && isAlnum(text.charAt(p))) {
                p++;
            }
            return p;
        }

        /**
         * The end of the run of base64url characters at {@code p}. Remembered, because many
         * {@code eyJ} candidates can sit in one long run and each would otherwise rescan it.
         */
        private int spanBase64Url(int p) {
            if (p >= base64RunStart && p <= base64RunEnd) {
                return base64RunEnd;
            }
            int end = p;
            while (end < length) {
                char c = text.charAt(end);
                if (!isAlnum(c) && c != '-' && c != '_') {
                    break;
                }
                end++;
            }
            base64RunStart = p;
            base64RunEnd = end;
            return end;
        }
    }

    /** The first two characters of the credential shapes (see {@code matchShape}). */
    private static final long[] ANCHOR_PAIRS = new long[1024];
    /** Their second and third characters. */
    private static final long[] ANCHOR_SECOND_PAIRS = new long[1024];

    static {
        String[] caseSensitive = {"dt0", "eyJ", "---", "ST$", "sk-", "://"};
        for (String anchor : caseSensitive) {
            setBit(ANCHOR_PAIRS, anchor.charAt(0), anchor.charAt(1));
            setBit(ANCHOR_SECOND_PAIRS, anchor.charAt(1), anchor.charAt(2));
        }
        String[] anyCase = {"api", "bea", "bas", "pas", "sec", "tok"};
        for (String anchor : anyCase) {
            for (String variant : caseVariants(anchor)) {
                setBit(ANCHOR_PAIRS, variant.charAt(0), variant.charAt(1));
                setBit(ANCHOR_SECOND_PAIRS, variant.charAt(1), variant.charAt(2));
            }
        }
    }

    private static List<String> caseVariants(String lower) {
        List<String> variants = new ArrayList<>();
        for (int mask = 0; mask < 1 << lower.length(); mask++) {
            StringBuilder variant = new StringBuilder();
            for (int k = 0; k < lower.length(); k++) {
                char c = lower.charAt(k);
                variant.append((mask & (1 << k)) != 0 ? Character.toUpperCase(c) : c);
            }
            variants.add(variant.toString());
        }
        return variants;
    }

    private static void setBit(long[] bits, char first, char second) {
        int hash = pairHash(first, second);
        bits[hash >>> 6] |= 1L << hash;
    }

    private static boolean hasBit(long[] bits, int hash) {
        return (bits[hash >>> 6] & (1L << hash)) != 0;
    }

    /**
     * The table index of a character pair: exact for Latin-1 pairs, which is nearly all of the text
     * this sees. (Kept out of {@link Literals} so that building the anchor table does not
     * initialise that class before the table is complete.)
     */
    private static int pairHash(char first, char second) {
        return ((first << 8) ^ second) & 0xFFFF;
    }


    private static boolean isLowerAscii(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isAlnum(char c) {
        return isLetter(c) || isDigit(c);
    }

    /** Characters of opaque credentials: base64, base64url, dots and RFC 6750 token68 punctuation. */
    private static boolean isTokenChar(char c) {
        return isAlnum(c) || c == '.' || c == '_' || c == '-' || c == '~' || c == '+' || c == '/' || c == '=';
    }

    private static boolean isUnquotedValueChar(char c) {
        return c > ' ' && c != ',' && c != ';' && c != '&' && c != '"' && c != '\'' && c != '}' && c != ']'
                && c != ')' && c != '<' && c != '>';
    }
}
