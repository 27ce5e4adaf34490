package dev.linkpulse.domains;

import dev.linkpulse.support.Ports;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real DNS server for tests: Debian's dnsmasq as a child process on a random loopback port,
 * answering the TXT records it is given and nothing else (no upstream, no hosts file).
 * {@code .ci/run} installs it ({@code dnsmasq-base}).
 */
final class Dnsmasq implements AutoCloseable {

    private static final String READY = "_ready.dnsmasq.test";

    private final Process process;
    private final int port;

    private Dnsmasq(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts dnsmasq on a free port, trying another if the port was taken between the probe and the start. */
    static Dnsmasq startOnFreePort(Path dir, Map<String, String> txtRecords) throws IOException, InterruptedException {
        AssertionError last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                return start(dir, Ports.free(), txtRecords);
            } catch (AssertionError e) {
                if (e.getMessage() == null || !e.getMessage().contains("Address already in use")) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    int port() {
        return port;
    }

    /** Starts dnsmasq on {@code port} serving {@code txtRecords} (name → value) and a readiness record. */
    static Dnsmasq start(Path dir, int port, Map<String, String> txtRecords) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/dnsmasq");
        if (!Files.isExecutable(binary)) {
            throw new AssertionError("dnsmasq is missing: apt-get install -y dnsmasq-base (.ci/run installs it)");
        }
        Map<String, String> records = new java.util.LinkedHashMap<>();
        records.put(READY, "ready");
        records.putAll(txtRecords);
        StringBuilder conf = new StringBuilder();
        conf.append("port=").append(port).append('\n')
                .append("listen-address=127.0.0.1\nbind-interfaces\nno-resolv\nno-hosts\nno-poll\nlog-facility=-\n")
                // Answered from this file only: a name not in it is NXDOMAIN, as from a real zone.
                .append("local=/example/\nlocal=/test/\n");
        records.forEach((name, value) -> conf.append("txt-record=").append(name).append(",\"").append(value).append("\"\n"));
        Path file = dir.resolve("dnsmasq.conf");
        Files.writeString(file, conf.toString(), StandardCharsets.UTF_8);
        ProcessBuilder builder = new ProcessBuilder(binary.toString(), "--keep-in-foreground", "--conf-file=" + file, "--pid-file=",
                "--user=" + System.getProperty("user.name"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("dnsmasq.log").toFile());
        builder.environment().put("LC_ALL", "C"); // its messages in English: startOnFreePort reads them
        Process p = builder.start();
        // Ready when it answers: ask until the first TXT record resolves (or it died).
        DnsTxt client = new DnsTxt("dns://127.0.0.1:" + port);
        String first = READY;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            if (!p.isAlive()) {
                throw new AssertionError("dnsmasq exited: " + Files.readString(dir.resolve("dnsmasq.log")));
            }
            try {
                if (!client.lookup(first).isEmpty()) {
                    return new Dnsmasq(p, port);
                }
            } catch (DnsTxt.LookupFailed e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new AssertionError("dnsmasq did not answer within 10 s: " + Files.readString(dir.resolve("dnsmasq.log")));
            }
            Thread.sleep(50);
        }
    }

    String url() {
        return "dns://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
