package dev.bastion.security.outbound;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the route for each backend connection: loopback hosts always direct; otherwise the
 * backend's own proxy when it has one, else {@code HTTPS_PROXY}/{@code https_proxy} unless
 * {@code NO_PROXY}/{@code no_proxy} exempts the host. Only HTTPS traffic is proxied, as plain http
 * goes to loopback only.
 */
final class BackendProxySelector extends ProxySelector {

    private final Optional<ProxyEndpoint> proxy;
    private final NoProxyRules noProxy;

    private BackendProxySelector(Optional<ProxyEndpoint> proxy, NoProxyRules noProxy) {
        this.proxy = proxy;
        this.noProxy = noProxy;
    }

    /** The backend's explicit proxy, used for every non-loopback host. */
    static BackendProxySelector explicit(ProxyEndpoint proxy) {
        return new BackendProxySelector(Optional.of(proxy), NoProxyRules.parse(null));
    }

    /**
     * The proxy the environment asks for. The upper-case names win when both spellings are set, as
     * in Go's {@code httpproxy}.
     */
    static BackendProxySelector fromEnvironment(Map<String, String> environment) {
        String httpsProxy = firstSet(environment, "HTTPS_PROXY", "https_proxy");
        String noProxy = firstSet(environment, "NO_PROXY", "no_proxy");
        Optional<ProxyEndpoint> proxy = httpsProxy == null ? Optional.empty()
                : Optional.of(ProxyEndpoint.parse(httpsProxy, environment.containsKey("HTTPS_PROXY")
                        && !environment.get("HTTPS_PROXY").isBlank() ? "HTTPS_PROXY" : "https_proxy"));
        return new BackendProxySelector(proxy, NoProxyRules.parse(noProxy));
    }

    Optional<ProxyEndpoint> proxy() {
        return proxy;
    }

    @Override
    public List<Proxy> select(URI uri) {
        String host = uri.getHost();
        if (proxy.isEmpty() || host == null || !"https".equalsIgnoreCase(uri.getScheme())
                || HttpsOnlyInterceptor.isLoopback(host)) {
            return List.of(Proxy.NO_PROXY);
        }
        int port = uri.getPort() < 0 ? 443 : uri.getPort();
        if (noProxy.bypasses(host, port)) {
            return List.of(Proxy.NO_PROXY);
        }
        return List.of(proxy.get().toProxy());
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // OkHttp already tries the next route and reports the failure to the caller.
    }

    private static String firstSet(Map<String, String> environment, String... names) {
        for (String name : names) {
            String value = environment.get(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
