package dev.bastion.security.outbound;

import dev.bastion.core.spi.ProviderConfigException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An HTTP proxy from a proxy URL such as {@code http://user:pass@proxy.corp:3128}. HTTPS backends
 * are reached through it with {@code CONNECT}, so TLS still runs end to end to the backend. A URL
 * without scheme means {@code http://}; without port, port 80. {@code https://} proxies (TLS to the
 * proxy itself) and SOCKS are not supported by the HTTP client and are refused with a clear message.
 *
 * @param username the proxy user from the URL's user-info, or {@code null}
 * @param password the proxy password from the URL's user-info, or {@code null}
 */
record ProxyEndpoint(String host, int port, String username, String password) {

    static ProxyEndpoint parse(String raw, String setting) {
        String text = raw.trim();
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "http" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        String rest = schemeEnd < 0 ? text : text.substring(schemeEnd + 3);
        int pathStart = rest.indexOf('/');
        String authority = pathStart < 0 ? rest : rest.substring(0, pathStart);
        // The last '@' ends the user-info, so an unencoded '@' in a password still parses.
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? null : authority.substring(0, at);
        String hostPort = authority.substring(at + 1);
        URI uri;
        try {
            uri = new URI("http://" + hostPort);
        } catch (URISyntaxException e) {
            throw new ProviderConfigException(setting + " is not a valid proxy URL; expected http://host:port");
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new ProviderConfigException(setting + " has no valid host; expected http://host:port");
        }
        String shown = scheme + "://" + host + (uri.getPort() > 0 ? ":" + uri.getPort() : "");
        if (!scheme.equals("http")) {
            throw new ProviderConfigException(setting + " " + shown + " uses " + scheme
                    + ", which is not supported; use an http:// proxy URL (HTTPS backends are still reached"
                    + " with TLS end to end through the proxy tunnel)");
        }
        String username = null;
        String password = null;
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        }
        return new ProxyEndpoint(host.startsWith("[") ? host.substring(1, host.length() - 1) : host,
                uri.getPort() > 0 ? uri.getPort() : 80, username, password);
    }

    /** {@code url} with any user-info (which may hold a password) replaced by a mask. */
    static String withoutUserInfo(String url) {
        int schemeEnd = url.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int pathStart = url.indexOf('/', start);
        int at = url.lastIndexOf('@', pathStart < 0 ? url.length() : pathStart);
        return at < start ? url : url.substring(0, start) + "[REDACTED]" + url.substring(at);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // Not percent-encoded after all (a literal '%' in a password): use it as written.
            return text;
        }
    }

    static ProxyEndpoint parse(URI uri, String setting) {
        return parse(uri.toString(), setting);
    }

    @Override
    public String toString() {
        return "http://" + (username == null ? "" : username + ":[REDACTED]@") + host + ":" + port;
    }

    Proxy toProxy() {
        // Unresolved: the proxy's name is looked up per connection by OkHttp, not once at startup.
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }
}
