package dev.linkpulse.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.common.IpAddresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpMaskerTest {

    @ParameterizedTest
    @CsvSource({
            "192.168.1.77, 192.168.xxx.xxx",
            "81.2.69.142, 81.2.xxx.xxx",
            "0.0.0.0, 0.0.xxx.xxx",
            "2001:db8:85a3::8a2e:370:7334, 2001:db8:85a3:xxxx:xxxx:xxxx:xxxx:xxxx",
            "2001:0480:0010:0000:0000:0000:0000:0001, 2001:480:10:xxxx:xxxx:xxxx:xxxx:xxxx",
            "::1, 0:0:0:xxxx:xxxx:xxxx:xxxx:xxxx",
            "::ffff:81.2.69.142, 81.2.xxx.xxx"})
    void keepsTwoOctetsOrThreeGroups(String ip, String masked) {
        assertThat(IpMasker.mask(IpAddresses.parse(ip).orElseThrow())).isEqualTo(masked);
    }
}
