package dev.bastion.security.outbound;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bastion.core.sanitize.Redactor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.MediaType;
import okhttp3.Response;

/**
 * Turns backend failures into one-line messages a provider can hand to the model or operator: the
 * backend's own words when it gave any (redacted, trimmed), a plain description of network and TLS
 * failures with a hint at the setting to change, and never a class name, stack trace or secret.
 */
public final class BackendErrors {

    /** How many characters of the backend's own message are kept. */
    public static final int MAX_MESSAGE_CHARS = 300;

    private static final int SNIPPET_BYTES = 8192;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HTML_TITLE = Pattern.compile("<title[^>]*>(.*?)</title>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\s]]");

    private static final Map<Integer, String> REASONS = Map.ofEntries(
            Map.entry(400, "Bad Request"), Map.entry(401, "Unauthorized"), Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"), Map.entry(405, "Method Not Allowed"), Map.entry(408, "Request Timeout"),
            Map.entry(409, "Conflict"), Map.entry(410, "Gone"), Map.entry(413, "Content Too Large"),
            Map.entry(415, "Unsupported Media Type"), Map.entry(422, "Unprocessable Content"),
            Map.entry(429, "Too Many Requests"), Map.entry(500, "Internal Server Error"),
            Map.entry(501, "Not Implemented"), Map.entry(502, "Bad Gateway"), Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Gateway Timeout"));

    private BackendErrors() {
    }

    /**
     * A one-line summary of an unsuccessful response, such as {@code dynatrace-managed/prod answered
     * 503 Service Unavailable: maintenance until 14:00 (retry after 120 s)}.
     *
     * @param bodySnippet the start of the response body (it need not be complete), or {@code null}
     */
    public static String summarize(String backendName, Response response, String bodySnippet, Redactor redactor) {
        StringBuilder summary = new StringBuilder(backendName).append(" answered ").append(response.code());
        String reason = response.message().isBlank() ? REASONS.get(response.code()) : response.message();
        if (reason != null) {
            summary.append(' ').append(oneLine(reason));
        }
        backendMessage(response, bodySnippet).map(message -> trim(oneLine(redactor.redact(message))))
                .filter(message -> !message.isEmpty())
                .ifPresent(message -> summary.append(": ").append(message));
        retryAfter(response).ifPresent(wait -> summary.append(" (retry after ").append(wait.toSeconds()).append(" s)"));
        return redactor.redact(summary.toString());
    }

    /**
     * {@link #summarize(String, Response, String, Redactor)} with the snippet peeked from the start
     * of the response body (the body stays unread for the caller).
     */
    public static String summarize(String backendName, Response response, Redactor redactor) {
        String snippet = null;
        try {
            if (response.body() != null) {
                snippet = response.peekBody(SNIPPET_BYTES).string();
            }
        } catch (IOException e) {
            // The status line alone still makes a useful summary.
        }
        return summarize(backendName, response, snippet, redactor);
    }

    /**
     * How long a {@code 429} or {@code 503} response asks the client to wait ({@code Retry-After}
     * as seconds or an HTTP date); empty when it does not say.
     */
    public static Optional<Duration> retryAfter(Response response) {
        return BusyRetryInterceptor.retryAfter(response);
    }

    /** What went wrong reaching {@code backendName}, with a hint at the fix, for a failed call. */
    public static String describe(IOException failure, String backendName) {
        if (failure instanceof InsecureSchemeException || failure instanceof ResponseTooLargeException
                || failure instanceof ClientRateLimitException) {
            return failure.getMessage();
        }
        if (failure instanceof UnknownHostException) {
            return "The host name of " + backendName + " could not be resolved; check the URL and the DNS and"
                    + " proxy settings";
        }
        if (failure instanceof ConnectException || failure instanceof NoRouteToHostException) {
            return "Could not connect to " + backendName + ": the connection was refused or the host is"
                    + " unreachable; check the URL, the port and that the service is up";
        }
        if (failure instanceof SSLPeerUnverifiedException) {
            return "The TLS certificate of " + backendName + " does not match its host name; use the host name"
                    + " the certificate was issued for";
        }
        if (failure instanceof SSLException) {
            return describeTls((SSLException) failure, backendName);
        }
        if (failure instanceof SocketTimeoutException || failure instanceof InterruptedIOException) {
            String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("connect")) {
                return "Could not connect to " + backendName + " in time (connect timeout); check the URL, the"
                        + " network path and the proxy settings";
            }
            if (message.contains("interrupted")) {
                return "The call to " + backendName + " was cancelled";
            }
            return backendName + " did not answer in time (timeout); narrow the request or raise the timeout";
        }
        String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
        if (message.equals("canceled") || message.equals("cancelled")) {
            return "The call to " + backendName + " was cancelled";
        }
        if (message.contains("failed to authenticate with proxy")) {
            return "The proxy refused its credentials while connecting to " + backendName
                    + "; check the user and password in the proxy URL";
        }
        if (message.contains("unexpected response code for connect")) {
            return "The proxy refused to open a tunnel to " + backendName + "; check the proxy settings and"
                    + " NO_PROXY";
        }
        if (message.contains("unexpected end of stream") || message.contains("connection reset")) {
            return backendName + " closed the connection before answering; it may be overloaded or a proxy"
                    + " in between dropped the call";
        }
        return "Could not reach " + backendName + " (network error); check the URL, the network and the proxy"
                + " settings";
    }

    private static String describeTls(SSLException failure, String backendName) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateExpiredException || cause instanceof CertificateNotYetValidException) {
                return "The TLS certificate of " + backendName + " has expired or is not yet valid";
            }
            String message = String.valueOf(cause.getMessage());
            if (cause instanceof CertPathBuilderException || cause instanceof CertPathValidatorException
                    || message.contains("PKIX") || message.contains("certification path")) {
                return "The TLS certificate of " + backendName + " is not trusted; if the backend uses a"
                        + " private or self-signed CA, set ca_file to that CA's PEM certificate bundle";
            }
        }
        if (failure instanceof SSLHandshakeException) {
            return "The TLS handshake with " + backendName + " failed; the backend must offer TLS 1.2 or newer"
                    + " with a modern cipher suite";
        }
        return "The TLS connection to " + backendName + " failed";
    }

    private static Optional<String> backendMessage(Response response, String snippet) {
        if (snippet == null || snippet.isBlank()) {
            return Optional.empty();
        }
        String body = snippet.strip();
        MediaType type = response.body() == null ? null : response.body().contentType();
        String subtype = type == null ? "" : type.subtype().toLowerCase(Locale.ROOT);
        String lower = body.substring(0, Math.min(body.length(), 200)).toLowerCase(Locale.ROOT);
        if (subtype.equals("html") || lower.startsWith("<!doctype html") || lower.startsWith("<html")
                || lower.contains("<head") || lower.contains("<body")) {
            return Optional.of(htmlPage(body));
        }
        if (body.startsWith("{") || body.startsWith("[") || subtype.endsWith("json")) {
            // A JSON body without a known message field is still shown, trimmed, as the backend's words.
            return Optional.of(jsonMessage(body).orElse(body));
        }
        return Optional.of(body);
    }

    private static String htmlPage(String body) {
        Matcher title = HTML_TITLE.matcher(body);
        if (title.find()) {
            String text = oneLine(title.group(1).replaceAll("<[^>]*>", "")).strip();
            if (!text.isEmpty()) {
                return "an HTML error page titled \"" + trim(text) + "\" (probably a proxy or load balancer)";
            }
        }
        return "an HTML error page (probably a proxy or load balancer)";
    }

    private static Optional<String> jsonMessage(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null) {
            return Optional.empty();
        }
        if (root.isArray() && !root.isEmpty()) {
            root = root.get(0);
        }
        for (String path : new String[] {"/error/message", "/error_description", "/message", "/detail",
                "/errorMessage", "/error/details", "/errors/0/message", "/errors/0/detail", "/title", "/error"}) {
            JsonNode node = root.at(path);
            if (node.isTextual() && !node.asText().isBlank()) {
                return Optional.of(node.asText());
            }
        }
        return Optional.empty();
    }

    private static String oneLine(String text) {
        return WHITESPACE.matcher(CONTROL.matcher(text).replaceAll("")).replaceAll(" ").strip();
    }

    private static String trim(String text) {
        return text.length() <= MAX_MESSAGE_CHARS ? text : text.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
    }
}
