package dev.linkpulse.events.webhooks;

import dev.linkpulse.common.IpAddresses;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keeps webhooks from reaching inside the network (SSRF): a target must be http(s) and every
 * address its host resolves to must be public. Checked when subscribing and again before every
 * delivery, whose connection then goes to the address that was checked, so a DNS answer that
 * changes in between (rebinding) cannot redirect it.
 */
public final class TargetGuard {

    /** Why a target was refused; the message is for the API caller. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    /** A target ready to connect to: the URL and the addresses it resolved to, all checked. */
    public record Target(URI uri, String host, int port, boolean https, List<InetAddress> addresses) {}

    /** Resolves a host name to its addresses; replaceable so tests can play DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    public TargetGuard(boolean allowPrivate) {
        this(allowPrivate, InetAddress::getAllByName);
    }

    public TargetGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** The URL's shape only (no DNS): http(s), a host, no credentials, at most 2,048 characters. */
    public static URI parse(String url) throws Refused {
        if (url.length() > 2048) {
            throw new Refused("target_url must be at most 2048 characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("target_url must be an absolute http or https URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getHost().isEmpty()) {
            throw new Refused("target_url must be an absolute http or https URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("target_url must not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("target_url must not have a fragment");
        }
        return uri;
    }

    /** Parses, resolves and checks a target. */
    public Target check(String url) throws Refused {
        URI uri = parse(url);
        boolean https = uri.getScheme().equalsIgnoreCase("https");
        String host = uri.getHost();
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] resolved;
        try {
            resolved = IpAddresses.parse(bare).map(a -> new InetAddress[] {a}).orElse(null);
            if (resolved == null) {
                resolved = resolver.resolve(bare);
            }
        } catch (UnknownHostException | SecurityException e) {
            throw new Refused("target_url host " + bare + " does not resolve");
        }
        if (resolved.length == 0) {
            throw new Refused("target_url host " + bare + " does not resolve");
        }
        List<InetAddress> addresses = Arrays.stream(resolved).map(IpAddresses::unmap).toList();
        if (!allowPrivate) {
            for (InetAddress a : addresses) {
                if (isForbidden(a)) {
                    // One bad answer refuses all: a resolver may hand out any of them.
                    throw new Refused("target_url must point to a public address; " + bare + " resolves to a private, "
                            + "loopback, link-local or reserved address");
                }
            }
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
        return new Target(uri, bare, port, https, addresses);
    }

    /**
     * Addresses no webhook may reach: every non-public range, plus IPv6 forms that embed an IPv4
     * address (IPv4-compatible, NAT64, 6to4, Teredo), judged by the address they carry or refused.
     */
    static boolean isForbidden(InetAddress address) {
        InetAddress a = IpAddresses.unmap(address);
        if (IpAddresses.isNonPublic(a)) {
            return true;
        }
        if (a instanceof Inet6Address) {
            byte[] b = a.getAddress();
            int w0 = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
            int w1 = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
            if (allZero(b, 0, 12)) {                                   // ::a.b.c.d (IPv4-compatible, deprecated)
                return true;
            }
            if (w0 == 0x0064 && w1 == 0xff9b) {                         // 64:ff9b::/96 and 64:ff9b:1::/48 NAT64
                return true;
            }
            if (w0 == 0x2002) {                                         // 2002::/16 6to4
                return embedded(b, 2);
            }
            if (w0 == 0x2001 && w1 == 0x0000) {                         // 2001::/32 Teredo
                return true;
            }
            if (w0 == 0x0100 && allZero(b, 2, 8)) {                     // 100::/64 discard
                return true;
            }
            return (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0xc0;      // fec0::/10 old site-local
        }
        return false;
    }

    private static boolean embedded(byte[] b, int from) {
        try {
            return IpAddresses.isNonPublic(Inet4Address.getByAddress(Arrays.copyOfRange(b, from, from + 4)));
        } catch (UnknownHostException e) {
            return true;
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
