package dev.linkpulse.events.webhooks;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST to an address that was already checked. A general HTTP client would resolve
 * the host again by itself; this one connects to the given address and names the host only in the
 * Host header and, over TLS, in SNI and certificate checks. It reads the status line and nothing
 * more: a webhook's answer body is of no use to us.
 */
final class WebhookPoster {

    /** What an attempt came to: an HTTP status, or 0 and what went wrong before one arrived. */
    record Result(int status, String error) {
        boolean delivered() {
            return status >= 200 && status < 300;
        }
    }

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    WebhookPoster(int connectTimeoutMillis, int readTimeoutMillis) {
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    Result post(TargetGuard.Target target, Map<String, String> headers, String body) {
        IOException last = null;
        for (InetAddress address : target.addresses()) {
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(address, target.port()), connectTimeoutMillis);
            } catch (IOException e) {
                last = e;
                closeQuietly(socket);
                continue; // the next address of the host, as a browser would
            }
            try (Socket s = target.https() ? tls(socket, target) : socket) {
                s.setSoTimeout(readTimeoutMillis);
                return exchange(s, target, headers, body);
            } catch (IOException e) {
                return new Result(0, describe(e));
            }
        }
        return new Result(0, last == null ? "no address to connect to" : "connection failed: " + describe(last));
    }

    private static Socket tls(Socket plain, TargetGuard.Target target) throws IOException {
        SSLSocket tls = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault())
                .createSocket(plain, target.host(), target.port(), true);
        SSLParameters params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name the host, not the address
        if (!target.host().contains(":") && !Character.isDigit(target.host().charAt(target.host().length() - 1))) {
            params.setServerNames(List.of(new SNIHostName(target.host())));
        }
        tls.setSSLParameters(params);
        tls.startHandshake();
        return tls;
    }

    private static Result exchange(Socket s, TargetGuard.Target target, Map<String, String> headers, String body)
            throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String path = target.uri().getRawPath() == null || target.uri().getRawPath().isEmpty() ? "/" : target.uri().getRawPath();
        if (target.uri().getRawQuery() != null) {
            path += "?" + target.uri().getRawQuery();
        }
        boolean defaultPort = target.port() == (target.https() ? 443 : 80);
        String hostHeader = (target.host().contains(":") ? "[" + target.host() + "]" : target.host())
                + (defaultPort ? "" : ":" + target.port());
        StringBuilder head = new StringBuilder(512)
                .append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("User-Agent: Linkpulse-Webhooks/1\r\n")
                .append("Content-Type: application/json\r\n")
                .append("Content-Length: ").append(payload.length).append("\r\n")
                .append("Connection: close\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");
        OutputStream out = s.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(payload);
        out.flush();
        String statusLine = readLine(new BufferedInputStream(s.getInputStream()));
        // "HTTP/1.1 204 No Content"
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
            return new Result(0, "not an HTTP answer");
        }
        return new Result(Integer.parseInt(parts[1]), null);
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (line.length() > 1024) {
                break;
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        if (c < 0 && line.isEmpty()) {
            throw new IOException("connection closed without an answer");
        }
        return line.toString();
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        String text = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        return text.length() > 300 ? text.substring(0, 300) : text;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do with it
        }
    }
}
