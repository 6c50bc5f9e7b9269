package dev.bastion.security.credential;

import dev.bastion.core.sanitize.CredentialShape;
import java.util.List;
import java.util.Optional;

/**
 * The shape of Dynatrace credentials, for the server's redactor: {@code dt0} followed by a letter,
 * two digits and a dot (the kind: {@code dt0c01} API tokens, {@code dt0s02} OAuth clients,
 * {@code dt0s16} platform tokens ...), then a public part and, for tokens and client secrets, a
 * dot and the secret part: {@code dt0c01.PUBLIC.SECRET}. The kind prefix {@code dt0c01.} stays
 * visible (it tells an operator which credential leaked); everything after it is hidden, and the
 * secret part is secret on its own.
 *
 * <p>Letters in any case are accepted, because a backend or a log may echo a token upper-cased.
 * The public part needs at least 6 characters so that prose such as "dt0c01 is the prefix" is
 * left alone.
 */
public final class DynatraceCredentialShapes {

    private static final int PREFIX_LENGTH = 7;
    private static final int MIN_PUBLIC_LENGTH = 6;

    /** Every Dynatrace token and OAuth client id or secret. */
    public static final CredentialShape TOKEN = new CredentialShape("dynatrace-token", "dt0",
            DynatraceCredentialShapes::matchToken);

    /** The shapes both Dynatrace providers register with the server's redactor. */
    public static final List<CredentialShape> ALL = List.of(TOKEN);

    private DynatraceCredentialShapes() {
    }

    private static Optional<CredentialShape.Match> matchToken(CharSequence text, int start) {
        int length = text.length();
        if (start + PREFIX_LENGTH >= length || (text.charAt(start + 1) | 0x20) != 't' || text.charAt(start + 2) != '0'
                || !isLetter(text.charAt(start + 3)) || !isDigit(text.charAt(start + 4))
                || !isDigit(text.charAt(start + 5)) || text.charAt(start + 6) != '.') {
            return Optional.empty();
        }
        int publicStart = start + PREFIX_LENGTH;
        int publicEnd = spanAlnum(text, publicStart);
        if (publicEnd - publicStart < MIN_PUBLIC_LENGTH) {
            return Optional.empty();
        }
        if (publicEnd + 1 < length && text.charAt(publicEnd) == '.') {
            int secretEnd = spanAlnum(text, publicEnd + 1);
            if (secretEnd > publicEnd + 1) {
                return Optional.of(new CredentialShape.Match(secretEnd, PREFIX_LENGTH,
                        List.of(new CredentialShape.Part(publicEnd + 1 - start, secretEnd - start))));
            }
        }
        return Optional.of(CredentialShape.Match.of(publicEnd, PREFIX_LENGTH));
    }

    private static int spanAlnum(CharSequence text, int from) {
        int p = from;
        while (p < text.length() && (isLetter(text.charAt(p)) || isDigit(text.charAt(p)))) {
            p++;
        }
        return p;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
