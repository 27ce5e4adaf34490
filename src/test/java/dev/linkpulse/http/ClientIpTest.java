package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpTest {

    private final ClientIp loopbackTrusted = new ClientIp(List.of(
            Cidr.parse("127.0.0.0/8").orElseThrow(), Cidr.parse("::1").orElseThrow(), Cidr.parse("10.0.0.0/8").orElseThrow()));

    @Test
    void anUntrustedPeerIsTheClientWhateverItForwards() {
        assertThat(loopbackTrusted.resolve("203.0.113.9", "81.2.69.142", null)).isEqualTo("203.0.113.9");
    }

    @Test
    void aTrustedPeerWithoutForwardingIsTheClient() {
        assertThat(loopbackTrusted.resolve("127.0.0.1", null, null)).isEqualTo("127.0.0.1");
    }

    @Test
    void theRightMostUntrustedHopIsTheClient() {
        assertThat(loopbackTrusted.resolve("127.0.0.1", "1.2.3.4, 81.2.69.142, 10.1.1.1", null)).isEqualTo("81.2.69.142");
        assertThat(loopbackTrusted.resolve("127.0.0.1", "81.2.69.142", null)).isEqualTo("81.2.69.142");
    }

    @Test
    void whenEveryHopIsTrustedTheLeftMostIsUsed() {
        assertThat(loopbackTrusted.resolve("127.0.0.1", "10.0.0.7, 10.0.0.8", null)).isEqualTo("10.0.0.7");
    }

    @Test
    void anUnreadableHopEndsTheWalk() {
        assertThat(loopbackTrusted.resolve("127.0.0.1", "81.2.69.142, garbage, 10.0.0.8", null)).isEqualTo("10.0.0.8");
        assertThat(loopbackTrusted.resolve("127.0.0.1", "evil.example.com", null)).isEqualTo("127.0.0.1");
        assertThat(loopbackTrusted.resolve("127.0.0.1", "", null)).isEqualTo("127.0.0.1");
        assertThat(loopbackTrusted.resolve("127.0.0.1", "999.1.1.1", null)).isEqualTo("127.0.0.1");
    }

    @Test
    void portsAndBracketsAreStripped() {
        assertThat(loopbackTrusted.resolve("127.0.0.1", "81.2.69.142:5555", null)).isEqualTo("81.2.69.142");
        assertThat(loopbackTrusted.resolve("127.0.0.1", "[2001:480:10::1]:443", null)).isEqualTo("2001:480:10:0:0:0:0:1");
    }

    @Test
    void theForwardedHeaderIsReadWhenXForwardedForIsAbsent() {
        assertThat(loopbackTrusted.resolve("::1", null, "for=81.2.69.142;proto=https, for=\"[::1]\"")).isEqualTo("81.2.69.142");
        assertThat(loopbackTrusted.resolve("::1", null, "proto=https")).isEqualTo("0:0:0:0:0:0:0:1");
    }

    @Test
    void cidrsMatchTheirRangeOnly() {
        Cidr net = Cidr.parse("192.168.4.0/22").orElseThrow();
        assertThat(net.contains(dev.linkpulse.common.IpAddresses.parse("192.168.7.255").orElseThrow())).isTrue();
        assertThat(net.contains(dev.linkpulse.common.IpAddresses.parse("192.168.8.0").orElseThrow())).isFalse();
        assertThat(net.contains(dev.linkpulse.common.IpAddresses.parse("::1").orElseThrow())).isFalse();
        assertThat(Cidr.parse("10.0.0.0/33")).isEmpty();
        assertThat(Cidr.parse("localhost")).isEmpty();
        assertThat(Cidr.parse("10.0.0.0/")).isEmpty();
    }

    @Test
    void withoutTrustedProxiesThePeerIsTheClientInItsCanonicalForm() {
        ClientIp direct = new ClientIp(List.of());
        assertThat(direct.resolve("81.2.69.142", "1.2.3.4", "for=1.2.3.4")).isEqualTo("81.2.69.142");
        assertThat(direct.resolve("0:0:0:0:0:0:0:1", null, null)).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(direct.resolve("[::1]", null, null)).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(direct.resolve("::ffff:81.2.69.142", null, null)).isEqualTo("81.2.69.142");
        assertThat(direct.resolve(" 81.2.69.142 ", null, null)).isEqualTo("81.2.69.142");
        assertThat(direct.resolve("not-an-ip", null, null)).isEqualTo("not-an-ip");
    }

    @Test
    void aTrustedIpv4PeerStillForwardsWhatEitherHeaderSays() {
        assertThat(loopbackTrusted.resolve("127.0.0.1", null, "for=81.2.69.142")).isEqualTo("81.2.69.142");
        assertThat(loopbackTrusted.resolve("127.0.0.1", "81.2.69.142", null)).isEqualTo("81.2.69.142");
        assertThat(loopbackTrusted.resolve("10.0.0.1", null, null)).isEqualTo("10.0.0.1");
    }

    @Test
    void aCanonicalIpv4IsWhatParsingAndPrintingGiveBack() {
        for (String ip : List.of("0.0.0.0", "1.2.3.4", "81.2.69.142", "255.255.255.255", "10.0.0.10", "100.200.250.199")) {
            assertThat(dev.linkpulse.common.IpAddresses.isCanonicalIpv4(ip)).as(ip).isTrue();
        }
        for (String ip : java.util.Arrays.asList(null, "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.256", "01.2.3.4", "1.2.3.04",
                "1.2.3.00", "1..3.4", ".1.2.3", "1.2.3.", " 1.2.3.4", "1.2.3.4 ", "1.2.3.a", "::1", "[1.2.3.4]", "1.2.3.4:80",
                "1234.1.1.1", "0001.1.1.1", "1.2.3.4\n")) {
            assertThat(dev.linkpulse.common.IpAddresses.isCanonicalIpv4(ip)).as(String.valueOf(ip)).isFalse();
        }
        // The shortcut must give exactly what the parsing path gives: for any canonical quad, the text itself.
        java.util.Random r = new java.util.Random(20261204L);
        for (int i = 0; i < 10_000; i++) {
            String ip = r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
            assertThat(dev.linkpulse.common.IpAddresses.isCanonicalIpv4(ip)).as(ip).isTrue();
            assertThat(dev.linkpulse.common.IpAddresses.parse(ip).orElseThrow().getHostAddress()).isEqualTo(ip);
        }
    }
}
