package dev.linkpulse.events.webhooks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A real HTTP server on 127.0.0.1 that webhooks are delivered to; it can go down and come back on the same port. */
final class Receiver implements AutoCloseable {

    /** One request as it arrived. */
    record Received(String id, String timestamp, String signature, String body, int answered) {}

    final List<Received> received = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> seenById = new ConcurrentHashMap<>();
    private volatile Function<Received, Integer> answer = r -> 204;
    private final int port;
    private HttpServer server;

    Receiver() {
        this(0);
    }

    private Receiver(int port) {
        this.server = bind(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer bind(int p) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", p), 50);
            s.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                var h = exchange.getRequestHeaders();
                Received r = new Received(h.getFirst("webhook-id"), h.getFirst("webhook-timestamp"), h.getFirst("webhook-signature"),
                        new String(body, StandardCharsets.UTF_8), 0);
                int status = answer.apply(r);
                seenById.computeIfAbsent(String.valueOf(r.id()), k -> new AtomicInteger()).incrementAndGet();
                received.add(new Received(r.id(), r.timestamp(), r.signature(), r.body(), status));
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers every request with what {@code f} says. */
    void answer(Function<Received, Integer> f) {
        this.answer = f;
    }

    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Stops listening: connections to the port are refused until {@link #up}. */
    void down() {
        server.stop(0);
    }

    void up() {
        server = bind(port);
    }

    /** Requests answered with a 2xx. */
    List<Received> accepted() {
        return received.stream().filter(r -> r.answered() >= 200 && r.answered() < 300).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
