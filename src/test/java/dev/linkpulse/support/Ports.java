package dev.linkpulse.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers a test starts itself on a port it names (a child server process, dnsmasq, a
 * PostgreSQL stopped and started again). Such a port is free when chosen and taken a moment later,
 * so it is chosen outside the kernel's ephemeral range: a port from that range (what binding port
 * 0 gives) can meanwhile become the local end of any outgoing connection, and the suite runs in
 * two JVMs at once that connect all the time.
 */
public final class Ports {

    private Ports() {}

    /** A loopback port free now for TCP and UDP (dnsmasq binds both), outside the ephemeral range. */
    public static int free() {
        int[] ephemeral = ephemeralRange();
        // Below the range where there is room for it, else above it, else (a range spanning nearly
        // every port) whatever port 0 gives, probed for TCP too.
        int low;
        int high;
        if (ephemeral[0] > 11_024) {
            low = ephemeral[0] - 10_000;
            high = ephemeral[0];
        } else if (ephemeral[1] < 55_535) {
            low = ephemeral[1] + 1;
            high = ephemeral[1] + 10_001;
        } else {
            low = 0;
            high = 0;
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int candidate = high == 0 ? 0 : random.nextInt(low, high);
            try (DatagramSocket udp = new DatagramSocket(candidate, InetAddress.getLoopbackAddress());
                    ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getLoopbackAddress())) {
                return udp.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new UncheckedIOException(new IOException("no loopback port free for both UDP and TCP"));
    }

    private static int[] ephemeralRange() {
        try {
            String[] parts = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (IOException | RuntimeException e) {
            return new int[] {32_768, 60_999};
        }
    }
}
