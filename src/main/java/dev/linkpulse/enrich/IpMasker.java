package dev.linkpulse.enrich;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The IP that is stored: IPv4 keeps its first two octets ({@code 192.168.xxx.xxx}), IPv6 its
 * first three groups ({@code 2001:db8:85a3:xxxx:xxxx:xxxx:xxxx:xxxx}).
 */
public final class IpMasker {

    private IpMasker() {}

    public static String mask(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return (b[0] & 0xff) + "." + (b[1] & 0xff) + ".xxx.xxx";
        }
        StringBuilder out = new StringBuilder(39);
        for (int group = 0; group < 3; group++) {
            int value = ((b[group * 2] & 0xff) << 8) | (b[group * 2 + 1] & 0xff);
            out.append(Integer.toHexString(value)).append(':');
        }
        return out.append("xxxx:xxxx:xxxx:xxxx:xxxx").toString();
    }
}
