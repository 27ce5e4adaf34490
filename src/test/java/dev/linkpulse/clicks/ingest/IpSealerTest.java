package dev.linkpulse.clicks.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sealing alone: only the sealing process opens an IP; nothing of the IP shows; nonces never repeat. */
class IpSealerTest {

    @Test
    void onlyTheSealingProcessOpensAnIp() {
        IpSealer mine = new IpSealer();
        IpSealer another = new IpSealer(); // another process: another key
        String sealed = mine.seal("81.2.69.142");
        assertThat(sealed).doesNotContain("81.2.69.142").doesNotContain("81.2");
        assertThat(mine.unseal(sealed, mine.keyId())).contains("81.2.69.142");
        assertThat(another.unseal(sealed, mine.keyId())).as("another key id: not even tried").isEmpty();
        assertThat(another.unseal(sealed, another.keyId())).as("the wrong key fails authentication").isEmpty();
        assertThat(mine.unseal(null, mine.keyId())).isEmpty();
        assertThat(mine.keyId()).isNotEqualTo(another.keyId()).matches("[0-9a-f]{16}");
    }

    @Test
    void aTamperedSealDoesNotOpenAndSealsNeverRepeat() {
        IpSealer sealer = new IpSealer();
        String sealed = sealer.seal("2001:db8::1");
        char[] chars = sealed.toCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        assertThat(sealer.unseal(new String(chars), sealer.keyId())).isEmpty();
        assertThat(sealer.unseal("not base64 !", sealer.keyId())).isEmpty();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(sealer.seal("2001:db8::1"))).as("same IP, fresh nonce each time").isTrue();
        }
    }
}
