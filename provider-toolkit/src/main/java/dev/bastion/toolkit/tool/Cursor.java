package dev.bastion.toolkit.tool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The one opaque paging cursor of a list tool. It wraps the backend's own page key (a
 * {@code nextPageKey}, an offset, an {@code opc-next-page} token) together with the tool it came
 * from, so the model passes it back unchanged. A truncated or garbled cursor, or one another tool
 * made, is a clear argument error and is never sent. The page key inside is only ever sent as a
 * query value of the tool's own endpoint, so no cursor can point a request elsewhere; a backend
 * refuses a page key it did not issue (the cursor is not signed, and not bound to an instance).
 */
public final class Cursor {

    /** The name of the argument every list tool takes. */
    public static final String NAME = "next_page";
    private static final int MAX_LENGTH = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cursor() {
    }

    /**
     * The argument every list tool takes.
     *
     * @param paging what else the model must know, such as whether the other arguments still apply
     */
    public static Arg<String> arg(String paging) {
        return Arg.pattern(NAME, "Opaque cursor from the next_page field of a previous result of this tool;"
                + " pass it unchanged to get the next page. " + paging, "^[A-Za-z0-9_-]{1," + MAX_LENGTH + "}$",
                MAX_LENGTH);
    }

    /** The cursor for the page after this one, bound to {@code toolName}. */
    public static String encode(String toolName, String pageKey) {
        ObjectNode node = JSON.createObjectNode();
        node.put("t", toolName);
        node.put("k", pageKey);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor for the page after this one, bound to the tool {@code args} were sent to. */
    public static String next(Arguments args, String pageKey) {
        return encode(args.toolName(), pageKey);
    }

    /**
     * The backend page key of the cursor the caller passed in {@code cursor}, empty on a first page.
     *
     * @throws InvalidArgument when the cursor was not made by this tool
     */
    public static Optional<String> pageKey(Arguments args, Arg<String> cursor) {
        String value = args.get(cursor);
        if (value == null) {
            return Optional.empty();
        }
        return Optional.of(decode(args.toolName(), cursor.name(), value));
    }

    /**
     * The backend page key inside {@code value}, a cursor of {@code toolName}.
     *
     * @throws InvalidArgument naming {@code argument} when the cursor was not made by that tool
     */
    public static String decode(String toolName, String argument, String value) {
        JsonNode node;
        try {
            node = JSON.readTree(Base64.getUrlDecoder().decode(value));
        } catch (IllegalArgumentException | IOException e) {
            throw forged(toolName, argument);
        }
        if (node == null || !node.path("t").isTextual() || !node.path("k").isTextual()
                || node.path("k").asText().isEmpty()) {
            throw forged(toolName, argument);
        }
        if (!node.path("t").asText().equals(toolName)) {
            throw new InvalidArgument(argument, "is a cursor of another tool; pass a next_page value that "
                    + toolName + " returned");
        }
        return node.path("k").asText();
    }

    private static InvalidArgument forged(String toolName, String argument) {
        return new InvalidArgument(argument, "is not a cursor that " + toolName + " returned; pass next_page"
                + " unchanged, or call the tool again without it");
    }
}
