package dev.linkpulse.http;

import dev.linkpulse.common.IpAddresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who the client is: the TCP peer, unless the peer is a trusted proxy, in which case the
 * right-most untrusted address of {@code X-Forwarded-For} (or {@code Forwarded}).
 */
public final class ClientIp {

    private final List<Cidr> trustedProxies;

    public ClientIp(List<Cidr> trustedProxies) {
        this.trustedProxies = List.copyOf(trustedProxies);
    }

    /** The client's address as text, or the peer's own text when the peer is not an IP literal. */
    public String resolve(String peer, String xForwardedFor, String forwarded) {
        boolean nothingForwarded = xForwardedFor == null && forwarded == null;
        if ((nothingForwarded || trustedProxies.isEmpty()) && IpAddresses.isCanonicalIpv4(peer)) {
            // The peer is the client, trusted or not, and is written as parsing and printing it would
            // give it back: no address objects per request.
            return peer;
        }
        Optional<InetAddress> peerAddress = IpAddresses.parse(peer);
        if (peerAddress.isEmpty() || !isTrusted(peerAddress.get())) {
            return peerAddress.map(InetAddress::getHostAddress).orElse(peer);
        }
        String chain = xForwardedFor != null ? xForwardedFor : forwardedFor(forwarded);
        if (chain == null) {
            return peerAddress.get().getHostAddress();
        }
        InetAddress current = peerAddress.get();
        String[] hops = chain.split(",", 64);
        for (int i = hops.length - 1; i >= 0; i--) {
            Optional<InetAddress> hop = IpAddresses.parse(stripPort(hops[i].strip()));
            if (hop.isEmpty()) {
                // A hop we cannot read ends the walk: anything left of it is the client's to invent.
                break;
            }
            current = hop.get();
            if (!isTrusted(current)) {
                break;
            }
        }
        return current.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (Cidr cidr : trustedProxies) {
            if (cidr.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code for=} values of an RFC 7239 {@code Forwarded} header as one comma-separated list. */
    private static String forwardedFor(String forwarded) {
        if (forwarded == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (String element : forwarded.split(",", 64)) {
            for (String pair : element.split(";", 16)) {
                String p = pair.strip();
                if (p.regionMatches(true, 0, "for=", 0, 4)) {
                    String value = p.substring(4).strip();
                    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                        value = value.substring(1, value.length() - 1);
                    }
                    if (!out.isEmpty()) {
                        out.append(',');
                    }
                    out.append(value);
                }
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    /** Removes a port from {@code 1.2.3.4:80} or {@code [2001:db8::1]:80}. */
    private static String stripPort(String hop) {
        if (hop.startsWith("[")) {
            int close = hop.indexOf(']');
            return close > 0 ? hop.substring(1, close) : hop;
        }
        int colon = hop.indexOf(':');
        if (colon > 0 && hop.indexOf(':', colon + 1) < 0) {
            return hop.substring(0, colon);
        }
        return hop;
    }
}
