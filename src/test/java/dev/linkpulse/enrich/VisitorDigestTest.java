package dev.linkpulse.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The visitor digest gives the same hash as every earlier version (stored hashes must stay
 * comparable, or a visitor counts twice across an upgrade), whatever the text: it reuses its
 * state and encodes ASCII itself, so it is checked against the straightforward implementation it
 * replaced and against hashes computed independently (Python's hashlib).
 */
class VisitorDigestTest {

    private static final byte[] SALT = new byte[32];

    static {
        for (int i = 0; i < SALT.length; i++) {
            SALT[i] = (byte) i;
        }
    }

    /** The digest as it was written before it was made allocation-free (commit fac3dfc). */
    private static String before(byte[] salt, String ip, String userAgent) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(salt);
        sha.update(ip.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(String.valueOf(userAgent).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    @Test
    void knownHashes() {
        // hashlib.sha256(bytes(range(32)) + ip + b"\0" + ua.encode("utf-8")).hexdigest()[:32]
        assertThat(VisitorHasher.digest(SALT, "81.2.69.142", "Mozilla/5.0 (X11; Linux x86_64)"))
                .isEqualTo("54541eaf48abadcba99db4616df90424");
        assertThat(VisitorHasher.digest(SALT, "2001:db8::1", "Mozilla/5.0 Gecko/20100101 Firefox/128.0 — Ünïcödé 😀"))
                .isEqualTo("26f1a042cb376a7ee0f8360737af5215");
        assertThat(VisitorHasher.digest(SALT, "81.2.69.142", null)).isEqualTo("0da39a71d00efd173e7b603e25de7e74");
    }

    @Test
    void sameAsBeforeForAnyText() throws Exception {
        List<String> texts = new ArrayList<>(List.of("", "null", "81.2.69.142", "::1", "2001:db8:0:0:0:0:0:1",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15",
                "Ünïcödé", "日本語のブラウザ", "emoji 😀 at the end 😀",
                "lone high \ud83d", "\ud83d lone high first", "lone low \ude00 inside", "\ude00",
                "ascii then é", "\u007f\u0080\u07ff\u0800\uffff", "tab\tand\nnewline\u0000nul"));
        Random r = new Random(20261204L);
        for (int length : new int[] {255, 256, 257, 511, 512, 513, 1024, 2048, 5000}) {
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < length; i++) {
                ascii.append((char) (0x20 + r.nextInt(0x5f)));
            }
            texts.add(ascii.toString());
            texts.add(ascii + "é"); // non-ASCII only at the very end, past the first chunk
        }
        for (int i = 0; i < 200; i++) {
            StringBuilder any = new StringBuilder();
            int length = r.nextInt(300);
            for (int j = 0; j < length; j++) {
                any.append(r.nextInt(4) == 0 ? (char) r.nextInt(0x10000) : (char) r.nextInt(0x80));
            }
            texts.add(any.toString());
        }
        for (String ip : texts) {
            for (String ua : List.of("Mozilla/5.0", "", ip, "日本")) {
                assertThat(VisitorHasher.digest(SALT, ip, ua)).as("ip %s, ua %s", ip, ua).isEqualTo(before(SALT, ip, ua));
                assertThat(VisitorHasher.digest(SALT, ua, ip)).as("ip %s, ua %s", ua, ip).isEqualTo(before(SALT, ua, ip));
            }
        }
        assertThat(VisitorHasher.digest(SALT, "1.2.3.4", null)).isEqualTo(before(SALT, "1.2.3.4", null));
        byte[] otherSalt = "another salt of any length".getBytes(StandardCharsets.UTF_8);
        assertThat(VisitorHasher.digest(otherSalt, "1.2.3.4", "ua")).isEqualTo(before(otherSalt, "1.2.3.4", "ua"));
    }

    @Test
    void threadsHashingAtOnceGetTheirOwnResults() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 5_000; i++) {
                        String ip = "10." + thread + "." + (i >> 8) + "." + (i & 0xff);
                        String ua = "agent " + thread + " " + i;
                        if (!VisitorHasher.digest(SALT, ip, ua).equals(before(SALT, ip, ua))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : results) {
                assertThat(f.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
