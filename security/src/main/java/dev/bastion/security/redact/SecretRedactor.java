package dev.bastion.security.redact;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.bastion.core.sanitize.CredentialShape;
import dev.bastion.core.sanitize.Redactor;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The redactor of the whole server: replaces registered secret values (and their Base64,
 * URL-safe Base64 and URL-encoded forms, in any letter case) and credential shapes with
 * {@value #MASK}, keeping at most a short non-secret prefix such as {@code dt0c01.}.
 *
 * <p>Shapes it knows by itself: JWTs, {@code Bearer}, {@code Basic} and {@code Api-Token}
 * credentials, PEM private key blocks, {@code password=}/{@code secret=}/{@code token=}/{@code api_key=}
 * pairs (also with {@code :}, as JSON members and as escaped JSON inside a string), user info in
 * URLs, Anthropic {@code sk-ant-} keys and OCI {@code ST$} security tokens. Vendor credentials
 * (Dynatrace's {@code dt0c01.} tokens, say) are {@link CredentialShape}s that providers declare and
 * the server {@linkplain #registerShapes registers} at startup. A registered secret inside an
 * {@code Authorization} header value is covered by the value itself.
 *
 * <p>A registered secret that has a declared shape is also redacted in its partial forms: without
 * its kept prefix ({@code PUBLIC.SECRET} of {@code dt0c01.PUBLIC.SECRET}) and each part the shape
 * calls secret on its own (the {@code SECRET}). Literals and shape anchors are matched without
 * regard to ASCII case, so an upper-cased echo of a token is caught too.
 *
 * <p>Speed matters because every log event and every tool result passes through here. The text
 * is scanned once, left to right, by a loop that tests each position against two 64 K-bit
 * tables (its first two characters and its second and third, in every letter case) built from the
 * registered secrets and the shapes' anchors ({@code dt0}, {@code eyJ}, {@code sec} ...). Only
 * positions both tables accept are examined: literals by comparison, longest first; shapes by
 * hand-written matchers that consume what they redact and remember the runs they measured, so the
 * work stays linear even on hostile input (no regular expressions, no backtracking). Text without
 * anything to redact is returned as is, without copying.
 *
 * <p>Thread-safe: {@link #registerSecret} and {@link #registerShapes} publish a new immutable
 * snapshot of the tables, so they may run at any time while other threads redact.
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
    /** The raw registered secrets and the declared shapes; the tables are rebuilt from both. */
    private final Set<String> secrets = new LinkedHashSet<>();
    private final Set<CredentialShape> shapes = new LinkedHashSet<>();
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
            if (secrets.add(value)) {
                rebuild();
            }
        }
    }

    /**
     * Adds credential shapes (the providers' {@link dev.bastion.core.spi.ProviderFactory#credentialShapes()}).
     * A shape registered before is ignored; secrets registered earlier gain the partial forms the
     * new shapes reveal.
     */
    public void registerShapes(Collection<CredentialShape> declared) {
        requireNonNull(declared, "declared is null");
        synchronized (registrationLock) {
            boolean changed = false;
            for (CredentialShape shape : declared) {
                changed |= shapes.add(requireNonNull(shape, "shape is null"));
            }
            if (changed) {
                rebuild();
            }
        }
    }

    /** The number of literal forms registered, for diagnostics and tests; never the forms themselves. */
    public int registeredFormCount() {
        return literals.values.size();
    }

    /** The number of distinct credential shapes registered, for diagnostics and tests. */
    public int registeredShapeCount() {
        return literals.shapes.size();
    }

    private void rebuild() {
        List<CredentialShape> shapeList = List.copyOf(shapes);
        Map<String, String> forms = new LinkedHashMap<>();
        for (String secret : secrets) {
            for (String form : derivedForms(secret)) {
                forms.putIfAbsent(foldCase(form), form);
            }
            for (String partial : partialForms(secret, shapeList)) {
                for (String form : derivedForms(partial)) {
                    forms.putIfAbsent(foldCase(form), form);
                }
            }
        }
        literals = Literals.of(forms.values(), shapeList);
    }

    /**
     * The forms of {@code secret} that a declared shape says are secret on their own: the part
     * after the kept prefix and each secret part. Only when a shape matches the whole secret.
     */
    private static List<String> partialForms(String secret, List<CredentialShape> shapes) {
        List<String> partials = new ArrayList<>();
        for (CredentialShape shape : shapes) {
            if (!secret.regionMatches(true, 0, shape.anchor(), 0, shape.anchor().length())) {
                continue;
            }
            Optional<CredentialShape.Match> found = shape.matcher().match(secret, 0);
            if (found.isEmpty() || found.get().end() != secret.length()) {
                continue;
            }
            CredentialShape.Match match = found.get();
            if (match.keptPrefix() > 0 && match.keptPrefix() < secret.length()) {
                partials.add(secret.substring(match.keptPrefix()));
            }
            for (CredentialShape.Part part : match.secretParts()) {
                if (part.to() <= secret.length()) {
                    partials.add(secret.substring(part.from(), part.to()));
                }
            }
        }
        partials.removeIf(partial -> partial.length() < MIN_SECRET_LENGTH);
        return partials;
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
        // ASCII case is ignored when matching; these cover letters whose case mapping is not ASCII.
        forms.add(value.toUpperCase(Locale.ROOT));
        forms.add(value.toLowerCase(Locale.ROOT));
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

    /**
     * An immutable snapshot: the literal secret forms and the declared shapes, indexed by their
     * first two characters with ASCII case folded.
     */
    private static final class Literals {
        static final Literals EMPTY = of(Set.of(), List.of());

        final List<String> values;
        final List<CredentialShape> shapes;
        /**
         * 65,536 bits; bit {@code pairHash} is set when a literal or a credential shape may start
         * with that pair (in any case). 8 KiB, so it stays in the L1 cache during a scan.
         */
        final long[] pairBits;
        /** The same for the second and third characters: a position is examined only when both tables agree. */
        final long[] secondPairBits;
        /** Literals by folded pair hash, longest first so the longest match wins. */
        final String[][] byPair;
        /** Declared shapes by the folded pair hash of their anchor; null where there are none. */
        final CredentialShape[][] shapesByPair;

        private Literals(List<String> values, List<CredentialShape> shapes, long[] pairBits, long[] secondPairBits,
                         String[][] byPair, CredentialShape[][] shapesByPair) {
            this.values = values;
            this.shapes = shapes;
            this.pairBits = pairBits;
            this.secondPairBits = secondPairBits;
            this.byPair = byPair;
            this.shapesByPair = shapesByPair;
        }

        static Literals of(Collection<String> forms, List<CredentialShape> shapes) {
            long[] bits = ANCHOR_PAIRS.clone();
            long[] secondBits = ANCHOR_SECOND_PAIRS.clone();
            Map<Integer, List<String>> grouped = new HashMap<>();
            for (String form : forms) {
                setCaseVariantBits(bits, secondBits, form);
                grouped.computeIfAbsent(foldedPairHash(form.charAt(0), form.charAt(1)), h -> new ArrayList<>()).add(form);
            }
            String[][] byPair = new String[65536][];
            grouped.forEach((hash, list) -> {
                list.sort(Comparator.comparingInt(String::length).reversed());
                byPair[hash] = list.toArray(String[]::new);
            });
            Map<Integer, List<CredentialShape>> shapeGroups = new HashMap<>();
            for (CredentialShape shape : shapes) {
                setCaseVariantBits(bits, secondBits, shape.anchor());
                shapeGroups.computeIfAbsent(foldedPairHash(shape.anchor().charAt(0), shape.anchor().charAt(1)),
                        h -> new ArrayList<>()).add(shape);
            }
            CredentialShape[][] shapesByPair = new CredentialShape[65536][];
            shapeGroups.forEach((hash, list) -> shapesByPair[hash] = list.toArray(CredentialShape[]::new));
            return new Literals(List.copyOf(forms), List.copyOf(shapes), bits, secondBits, byPair, shapesByPair);
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
                int hash = foldedPairHash(c, next);
                int end = literals.byPair[hash] == null ? -1 : matchLiteral(i, hash);
                if (end > 0) {
                    replace(i, end, MASK);
                } else {
                    end = matchShape(i, c, next);
                    if (end == i && literals.shapesByPair[hash] != null) {
                        end = declaredShape(i, hash);
                    }
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
                if (regionEqualsIgnoreAsciiCase(start, candidate)) {
                    return start + candidate.length();
                }
            }
            return -1;
        }

        /**
         * Tries the declared shapes anchored at {@code i}: the match that reaches furthest wins
         * (so equal shapes declared twice, and overlapping ones, are harmless); on a tie, the one
         * that keeps less. Returns where scanning continues, or {@code i}.
         */
        private int declaredShape(int i, int hash) {
            int bestEnd = -1;
            int bestKeep = 0;
            for (CredentialShape shape : literals.shapesByPair[hash]) {
                if (!regionEqualsIgnoreAsciiCase(i, shape.anchor())) {
                    continue;
                }
                Optional<CredentialShape.Match> found = shape.matcher().match(text, i);
                if (found.isEmpty()) {
                    continue;
                }
                int end = found.get().end();
                if (end <= i || end > length) {
                    continue;
                }
                int keep = found.get().keptPrefix();
                // A matcher that would keep everything visible hides nothing; hide all of it instead.
                if (keep >= end - i) {
                    keep = 0;
                }
                if (end > bestEnd || (end == bestEnd && keep < bestKeep)) {
                    bestEnd = end;
                    bestKeep = keep;
                }
            }
            if (bestEnd < 0) {
                return i;
            }
            replace(i + bestKeep, bestEnd, MASK);
            return bestEnd;
        }

        /** How much of the value {@code [start, end)} a declared shape lets stay visible (its prefix). */
        private int declaredPrefix(int start, int end) {
            if (start + 1 >= length) {
                return 0;
            }
            CredentialShape[] candidates = literals.shapesByPair[foldedPairHash(text.charAt(start),
                    text.charAt(start + 1))];
            if (candidates == null) {
                return 0;
            }
            int keep = -1;
            for (CredentialShape shape : candidates) {
                if (!regionEqualsIgnoreAsciiCase(start, shape.anchor())) {
                    continue;
                }
                Optional<CredentialShape.Match> found = shape.matcher().match(text, start);
                if (found.isPresent() && found.get().end() == end && found.get().keptPrefix() < end - start) {
                    keep = keep < 0 ? found.get().keptPrefix() : Math.min(keep, found.get().keptPrefix());
                }
            }
            return Math.max(keep, 0);
        }

        /** Whether {@code candidate} starts at {@code start}, ignoring ASCII case. */
        private boolean regionEqualsIgnoreAsciiCase(int start, String candidate) {
            int n = candidate.length();
            if (start + n > length) {
                return false;
            }
            for (int k = 0; k < n; k++) {
                char a = text.charAt(start + k);
                char b = candidate.charAt(k);
                if (a != b && foldCase(a) != foldCase(b)) {
                    return false;
                }
            }
            return true;
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
                case 'E': case 'e':
                    return lowerN == 'y' ? jwt(i) : i;
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
                case 'S': case 's':
                    if (lowerN == 't') {
                        return ociSecurityToken(i);
                    }
                    if (lowerN == 'k') {
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
         * Masks the value {@code [start, end)}, keeping the prefix a declared shape allows (the
         * {@code dt0c01.} of a Dynatrace token). Returns where scanning continues: a registered
         * secret starting at {@code start} that reaches further than the shape (a password with a
         * {@code !} in it after {@code Bearer }) is masked whole.
         */
        private int maskValue(int start, int end) {
            int literalEnd = literalEndAt(start);
            if (literalEnd > end) {
                replace(start, literalEnd, MASK);
                return literalEnd;
            }
            replace(start + declaredPrefix(start, end), end, MASK);
            return end;
        }

        private int literalEndAt(int start) {
            if (literals.isEmpty() || start + 1 >= length) {
                return -1;
            }
            return matchLiteral(start, foldedPairHash(text.charAt(start), text.charAt(start + 1)));
        }

        // eyJ<header>.<payload>.<signature>, three base64url segments.
        private int jwt(int i) {
            if (!startsWithIgnoreCase(i, "eyj")) {
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
            if (!startsWithIgnoreCase(i, "-----begin ")) {
                return i;
            }
            int headerEnd = text.indexOf("-----", i + 11);
            if (headerEnd < 0 || headerEnd - i > 80) {
                return i;
            }
            String label = text.substring(i + 11, headerEnd);
            if (!label.toUpperCase(Locale.ROOT).endsWith("PRIVATE KEY")) {
                return i;
            }
            String footer = "-----END " + label + "-----";
            int footerStart = indexOfIgnoreAsciiCase(footer, headerEnd + 5);
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
            if (!startsWithIgnoreCase(i, "sk-ant-")) {
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
            if (!startsWithIgnoreCase(i, "st$")) {
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

        /** The first {@code needle} at or after {@code from}, ignoring ASCII case, or -1. */
        private int indexOfIgnoreAsciiCase(String needle, int from) {
            char first = foldCase(needle.charAt(0));
            for (int p = from; p + needle.length() <= length; p++) {
                if (foldCase(text.charAt(p)) == first && regionEqualsIgnoreAsciiCase(p, needle)) {
                    return p;
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
        String[] anchors = {"eyj", "---", "st$", "sk-", "://", "api", "bea", "bas", "pas", "sec", "tok"};
        for (String anchor : anchors) {
            setCaseVariantBits(ANCHOR_PAIRS, ANCHOR_SECOND_PAIRS, anchor);
        }
    }

    /** Sets the bits of {@code text}'s first and second character pairs, in every ASCII case. */
    private static void setCaseVariantBits(long[] firstBits, long[] secondBits, String text) {
        for (char a : caseVariants(text.charAt(0))) {
            for (char b : caseVariants(text.charAt(1))) {
                setBit(firstBits, a, b);
                for (char c : caseVariants(text.charAt(2))) {
                    setBit(secondBits, b, c);
                }
            }
        }
    }

    private static char[] caseVariants(char c) {
        if (c >= 'a' && c <= 'z') {
            return new char[] {c, (char) (c - 32)};
        }
        if (c >= 'A' && c <= 'Z') {
            return new char[] {(char) (c + 32), c};
        }
        return new char[] {c};
    }

    /** ASCII letters in lower case, everything else as it is. */
    private static char foldCase(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c | 0x20) : c;
    }

    private static String foldCase(String text) {
        StringBuilder folded = new StringBuilder(text.length());
        for (int k = 0; k < text.length(); k++) {
            folded.append(foldCase(text.charAt(k)));
        }
        return folded.toString();
    }

    private static int foldedPairHash(char first, char second) {
        return pairHash(foldCase(first), foldCase(second));
    }

    private static void setBit(long[] bits, char first, char second) {
        int hash = pairHash(first, second);
        bits[hash >>> 6] |= 1L << hash;
    }

    /**
     * The table index of a character pair: exact for Latin-1 pairs, which is nearly all of the text
     * this sees. (Kept out of {@link Literals} so that building the anchor table does not
     * initialise that class before the table is complete.)
     */
    private static int pairHash(char first, char second) {
        return ((first << 8) ^ second) & 0xFFFF;
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
