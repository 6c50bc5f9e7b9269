package dev.bastion.security.outbound;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts a {@code NO_PROXY} list sends direct, with the semantics of Go's {@code httpproxy}
 * (which most tools follow): entries are separated by commas or spaces; {@code *} matches every
 * host; {@code example.com} matches that host and its subdomains; {@code .example.com} (or
 * {@code *.example.com}) only subdomains; {@code host:port} only that port; an IP address matches
 * itself and a CIDR block such as {@code 10.0.0.0/8} the address literals inside it.
 */
final class NoProxyRules {

    private static final Pattern SEPARATORS = Pattern.compile("[,\\s]+");
    private static final Pattern HOST_PORT = Pattern.compile("([^:]+):(\\d{1,5})");
    private static final Pattern BRACKETED = Pattern.compile("\\[([^\\]]+)\\](?::(\\d{1,5}))?");

    private final boolean all;
    private final List<Entry> entries;

    private NoProxyRules(boolean all, List<Entry> entries) {
        this.all = all;
        this.entries = List.copyOf(entries);
    }

    static NoProxyRules parse(String value) {
        if (value == null || value.isBlank()) {
            return new NoProxyRules(false, List.of());
        }
        boolean all = false;
        List<Entry> entries = new ArrayList<>();
        for (String token : SEPARATORS.split(value.trim())) {
            String entry = token.toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                continue;
            }
            if (entry.equals("*")) {
                all = true;
                continue;
            }
            if (entry.contains("/")) {
                Cidr.parse(entry).ifPresent(entries::add);
                continue;
            }
            int port = -1;
            var bracketed = BRACKETED.matcher(entry);
            if (bracketed.matches()) {
                entry = bracketed.group(1);
                port = bracketed.group(2) == null ? -1 : Integer.parseInt(bracketed.group(2));
            } else if (entry.chars().filter(c -> c == ':').count() == 1) {
                // One colon is host:port; two or more is a bare IPv6 literal such as ::1.
                var hostPort = HOST_PORT.matcher(entry);
                if (!hostPort.matches()) {
                    continue;
                }
                entry = hostPort.group(1);
                port = Integer.parseInt(hostPort.group(2));
            }
            if (entry.startsWith("*.")) {
                entry = entry.substring(1);
            }
            if (entry.endsWith(".") && entry.length() > 1) {
                entry = entry.substring(0, entry.length() - 1);
            }
            entries.add(new Name(entry, port));
        }
        return new NoProxyRules(all, entries);
    }

    boolean bypasses(String host, int port) {
        if (all) {
            return true;
        }
        String name = stripBrackets(host.toLowerCase(Locale.ROOT));
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        for (Entry entry : entries) {
            if (entry.matches(name, port)) {
                return true;
            }
        }
        return false;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private interface Entry {
        boolean matches(String host, int port);
    }

    private record Name(String name, int port) implements Entry {
        @Override
        public boolean matches(String host, int requestPort) {
            if (port >= 0 && port != requestPort) {
                return false;
            }
            if (name.startsWith(".")) {
                return host.endsWith(name);
            }
            if (isIpLiteral(name) && isIpLiteral(host)) {
                return sameAddress(name, host);
            }
            return host.equals(name) || host.endsWith("." + name);
        }

        private static boolean sameAddress(String a, String b) {
            try {
                return InetAddress.getByName(a).equals(InetAddress.getByName(b));
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    private record Cidr(byte[] network, int prefix) implements Entry {
        static java.util.Optional<Entry> parse(String entry) {
            int slash = entry.indexOf('/');
            String address = stripBrackets(entry.substring(0, slash));
            String bits = entry.substring(slash + 1);
            if (!isIpLiteral(address) || !bits.matches("\\d{1,3}")) {
                return java.util.Optional.empty();
            }
            try {
                byte[] network = InetAddress.getByName(address).getAddress();
                int prefix = Integer.parseInt(bits);
                return prefix > network.length * 8 ? java.util.Optional.empty()
                        : java.util.Optional.of(new Cidr(network, prefix));
            } catch (UnknownHostException e) {
                return java.util.Optional.empty();
            }
        }

        @Override
        public boolean matches(String host, int port) {
            if (!isIpLiteral(host)) {
                return false;
            }
            byte[] address;
            try {
                address = InetAddress.getByName(host).getAddress();
            } catch (UnknownHostException e) {
                return false;
            }
            if (address.length != network.length) {
                return false;
            }
            int shift = network.length * 8 - prefix;
            return new BigInteger(1, address).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
