package dev.linkpulse.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The SSRF table: which targets a webhook may and may not reach. */
class TargetGuardTest {

    /** A DNS that answers from a table, so names can resolve to anything without the network. */
    private static final Map<String, String[]> DNS = Map.of(
            "hooks.example.com", new String[] {"93.184.215.14"},
            "localhost", new String[] {"127.0.0.1", "::1"},
            "metadata.google.internal", new String[] {"169.254.169.254"},
            "rebind.example.com", new String[] {"93.184.215.14", "10.0.0.5"},
            "v6only.example.com", new String[] {"2606:4700::6810:85e5"},
            "internal.example.com", new String[] {"fd12:3456::1"});

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String[] answers = DNS.get(host);
        if (answers == null) {
            throw new UnknownHostException(host);
        }
        InetAddress[] out = new InetAddress[answers.length];
        for (int i = 0; i < answers.length; i++) {
            out[i] = InetAddress.getByName(answers[i]); // literals: no lookup
        }
        return out;
    }

    private final TargetGuard guard = new TargetGuard(false, TargetGuardTest::resolve);
    private final TargetGuard permissive = new TargetGuard(true, TargetGuardTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://hooks.example.com/in",
            "http://hooks.example.com:8080/in?x=1",
            "https://93.184.215.14/hook",
            "https://[2606:4700::6810:85e5]/hook",
            "https://v6only.example.com/"})
    void publicTargetsAreAccepted(String url) throws Exception {
        TargetGuard.Target t = guard.check(url);
        assertThat(t.addresses()).isNotEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1/", "http://127.1.2.3:9000/", "http://localhost/", "http://[::1]/",
            "http://0.0.0.0/", "http://[::]/",
            "http://10.0.0.1/", "http://172.16.5.4/", "http://172.31.255.255/", "http://192.168.1.1/",
            "http://100.64.0.1/", "http://100.127.255.254/", "http://100.100.100.200/",   // CGNAT (and Alibaba's metadata)
            "http://169.254.169.254/latest/meta-data/", "http://metadata.google.internal/",  // cloud metadata
            "http://169.254.1.1/", "http://[fe80::1]/",                                      // link-local
            "http://[fd00:ec2::254]/", "http://[fc00::1]/", "http://internal.example.com/",  // IPv6 ULA (AWS metadata too)
            "http://[::ffff:127.0.0.1]/", "http://[::ffff:10.0.0.1]/", "http://[::ffff:169.254.169.254]/", // IPv4-mapped
            "http://[::127.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:a00:1::]/", "http://[2001:0:4136:e378::1]/",
            "http://[fec0::1]/", "http://192.0.2.1/", "http://198.18.0.1/", "http://224.0.0.1/", "http://255.255.255.255/",
            "http://rebind.example.com/"})                                                    // one private answer of two
    void internalTargetsAreRefused(String url) {
        assertThatThrownBy(() -> guard.check(url)).isInstanceOf(TargetGuard.Refused.class)
                .hasMessageContaining("public address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com/", "/relative",
            "https://user:pass@hooks.example.com/", "https:///nohost", "not a url", "https://hooks.example.com/#frag"})
    void onlyPlainHttpUrlsAreAccepted(String url) {
        assertThatThrownBy(() -> guard.check(url)).isInstanceOf(TargetGuard.Refused.class);
    }

    @Test
    void aNameThatDoesNotResolveIsRefused() {
        assertThatThrownBy(() -> guard.check("https://nowhere.example.com/")).isInstanceOf(TargetGuard.Refused.class)
                .hasMessageContaining("does not resolve");
    }

    @Test
    void allowPrivateLiftsTheRangeCheckButNotTheScheme() throws Exception {
        assertThat(permissive.check("http://127.0.0.1:9/").addresses()).hasSize(1);
        assertThat(permissive.check("http://169.254.169.254/").port()).isEqualTo(80);
        assertThatThrownBy(() -> permissive.check("file:///etc/passwd")).isInstanceOf(TargetGuard.Refused.class);
    }

    @Test
    void theAddressConnectedToIsTheOneChecked() throws Exception {
        TargetGuard.Target t = guard.check("https://hooks.example.com/in");
        assertThat(t.addresses()).containsExactly(InetAddress.getByName("93.184.215.14"));
        assertThat(t.host()).isEqualTo("hooks.example.com");
        assertThat(t.port()).isEqualTo(443);
        assertThat(t.https()).isTrue();
    }
}
