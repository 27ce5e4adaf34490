package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Json;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What stands between the wire and the SDK's transport: the body is read once, within the size
 * limit, and must be a JSON-RPC 2.0 message (else a JSON-RPC "Invalid Request", 400); and an
 * answer the SDK builds from an unexpected exception (it serialises the exception, stack trace
 * included) is replaced by a plain JSON-RPC error, so no internal detail leaves the server.
 */
final class JsonRpcGate {

    private JsonRpcGate() {}

    /** The body as bytes: 415 unless JSON, 413 over the limit of every other body (spec §1). */
    static byte[] body(HttpServletRequest req) throws IOException {
        String type = req.getContentType();
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json", null);
        }
        byte[] body = req.getInputStream().readNBytes(Json.MAX_BODY_BYTES + 1);
        if (body.length > Json.MAX_BODY_BYTES) {
            throw Json.tooLarge(Json.MAX_BODY_BYTES);
        }
        return body;
    }

    /** A JSON-RPC 2.0 request, notification or response: an object with jsonrpc "2.0" and a method, or an id with a result or error. */
    static boolean isMessage(byte[] body) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            return false;
        }
        if (node == null || !node.isObject() || !"2.0".equals(node.path("jsonrpc").asText(null))) {
            return false;
        }
        JsonNode params = node.get("params");
        if (params != null && !params.isObject() && !params.isNull()) {
            return false;
        }
        if (node.has("method")) {
            return node.get("method").isTextual();
        }
        return node.has("id") && (node.has("result") || node.has("error"));
    }

    static void invalidRequest(HttpServletResponse res) throws IOException {
        write(res, 400, error(-32600, "Invalid Request: the body must be one JSON-RPC 2.0 message"));
    }

    private static Map<String, Object> error(int code, String message) {
        java.util.LinkedHashMap<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("jsonrpc", "2.0");
        body.put("id", null);
        body.put("error", Map.of("code", code, "message", message));
        return body;
    }

    private static void write(HttpServletResponse res, int status, Object body) throws IOException {
        res.setStatus(status);
        res.setContentType("application/json; charset=utf-8");
        res.getOutputStream().write(Json.MAPPER.writeValueAsBytes(body));
    }

    /** The request with its body, already read, readable again by the SDK. */
    static final class ReplayedRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedRequest(HttpServletRequest req, byte[] body) {
            super(req);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }

                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public BufferedReader getReader() {
            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8));
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /** The SDK's answer, held until it is checked (the stateless transport answers in one piece, never a stream). */
    static final class BufferedResponse extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final HttpServletResponse real;
        private PrintWriter writer;

        BufferedResponse(HttpServletResponse real) {
            super(real);
            this.real = real;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public void write(int b) {
                    bytes.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    bytes.write(b, off, len);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }
            };
        }

        @Override
        public PrintWriter getWriter() {
            if (writer == null) {
                writer = new PrintWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);
            }
            return writer;
        }

        @Override
        public void flushBuffer() {
            // held until finish()
        }

        /** Sends the answer, or a plain JSON-RPC error in place of a serialised exception. */
        void finish() throws IOException {
            if (writer != null) {
                writer.flush();
            }
            byte[] out = bytes.toByteArray();
            String text = new String(out, StandardCharsets.UTF_8);
            if (text.contains("\"stackTrace\"") || text.contains("\"jsonRpcError\"")) {
                int code = -32603;
                try {
                    code = Json.MAPPER.readTree(out).path("jsonRpcError").path("code").asInt(-32603);
                } catch (IOException ignored) {
                    // not JSON after all: the generic error
                }
                real.reset();
                write(real, 400, error(code, code == -32601 ? "Method not found" : code == -32602 ? "Invalid params"
                        : "Invalid Request"));
                return;
            }
            if (out.length > 0) {
                real.setContentLength(out.length);
                real.getOutputStream().write(out);
            }
            real.flushBuffer();
        }
    }
}
