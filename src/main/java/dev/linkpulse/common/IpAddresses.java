package dev.linkpulse.common;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/** IP literals parsed without ever touching DNS. */
public final class IpAddresses {

    private IpAddresses() {}

    /** The address written in {@code text}, or empty when it is not an IPv4 or IPv6 literal. */
    public static Optional<InetAddress> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isEmpty() || s.length() > 45) {
            return Optional.empty();
        }
        boolean v6 = s.indexOf(':') >= 0;
        if (v6 ? !isIpv6Shaped(s) : !isDottedQuad(s)) {
            return Optional.empty();
        }
        try {
            // Safe: the shape checks above guarantee a literal, so no name lookup happens.
            return Optional.of(unmap(InetAddress.getByName(s)));
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** IPv4-mapped IPv6 addresses ({@code ::ffff:1.2.3.4}) become plain IPv4 addresses. */
    public static InetAddress unmap(InetAddress address) {
        if (address instanceof Inet6Address v6) {
            byte[] b = v6.getAddress();
            for (int i = 0; i < 10; i++) {
                if (b[i] != 0) {
                    return address;
                }
            }
            if (b[10] == (byte) 0xff && b[11] == (byte) 0xff) {
                try {
                    return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return address;
    }

    /**
     * True for addresses that do not locate anybody: private, loopback, link-local, unique-local,
     * carrier-grade NAT, documentation, benchmarking, multicast, unspecified and reserved ranges.
     */
    public static boolean isNonPublic(InetAddress address) {
        if (address.isAnyLocalAddress() || address.isLoopbackAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (address instanceof Inet4Address) {
            int b2 = b[2] & 0xff;
            return b0 == 0
                    || (b0 == 100 && b1 >= 64 && b1 <= 127)          // 100.64.0.0/10 carrier-grade NAT
                    || (b0 == 192 && b1 == 0 && b2 == 0)            // 192.0.0.0/24 protocol assignments
                    || (b0 == 192 && b1 == 0 && b2 == 2)            // 192.0.2.0/24 documentation
                    || (b0 == 198 && (b1 == 18 || b1 == 19))         // 198.18.0.0/15 benchmarking
                    || (b0 == 198 && b1 == 51 && b2 == 100)          // 198.51.100.0/24 documentation
                    || (b0 == 203 && b1 == 0 && b2 == 113)           // 203.0.113.0/24 documentation
                    || b0 >= 240;                                    // 240.0.0.0/4 reserved, broadcast
        }
        return (b0 & 0xfe) == 0xfc                                   // fc00::/7 unique local
                || (b0 == 0x20 && b1 == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) // 2001:db8::/32
                || (b0 == 0 && isAllZeroExceptLast(b));             // ::/128 and friends
    }

    private static boolean isAllZeroExceptLast(byte[] b) {
        for (int i = 0; i < b.length - 1; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * True when {@code text} is an IPv4 address in the form {@link InetAddress#getHostAddress} prints:
     * four decimal numbers of 0 to 255 without leading zeros, nothing around them.
     */
    public static boolean isCanonicalIpv4(String text) {
        return text != null && isDottedQuad(text) && !hasLeadingZero(text);
    }

    /** True when a number of a dotted quad starts with 0 and has more digits ("01.2.3.4"). */
    private static boolean hasLeadingZero(String quad) {
        for (int i = 0; i + 1 < quad.length(); i++) {
            if (quad.charAt(i) == '0' && (i == 0 || quad.charAt(i - 1) == '.') && quad.charAt(i + 1) != '.') {
                return true;
            }
        }
        return false;
    }

    private static boolean isDottedQuad(String s) {
        int parts = 0;
        int value = -1;
        int digits = 0;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c == '.') {
                if (digits == 0 || value > 255) {
                    return false;
                }
                parts++;
                value = -1;
                digits = 0;
            } else if (c >= '0' && c <= '9') {
                if (++digits > 3) {
                    return false;
                }
                value = (value < 0 ? 0 : value * 10) + (c - '0');
            } else {
                return false;
            }
        }
        return parts == 4;
    }

    private static boolean isIpv6Shaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
