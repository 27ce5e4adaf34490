package dev.linkpulse.mcp;

import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Auth;
import dev.linkpulse.http.Json;
import dev.linkpulse.http.RateLimits;
import dev.linkpulse.keys.ApiKey;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * {@code /mcp}: authenticates the request ({@code Authorization: Bearer <key>} or
 * {@code x-mcp-key: <key>}; 401 with the error envelope otherwise), then hands it to the SDK's
 * transport with the caller attached for the tools.
 */
final class McpServlet extends HttpServlet {

    /** The request attribute (and transport-context key) holding the {@link Caller}. */
    static final String CALLER = "linkpulse.mcp.caller";

    /** Who calls: the key, and its secret for the tools' REST calls (in memory only, never logged). */
    record Caller(ApiKey key, String secret) {
        @Override
        public String toString() {
            return "Caller[" + key.id() + "]";
        }
    }

    private final Auth auth;
    private final HttpServlet transport;

    McpServlet(Auth auth, HttpServlet transport) {
        this.auth = auth;
        this.transport = transport;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        super.init(config);
        transport.init(config);
    }

    @Override
    public void destroy() {
        transport.destroy();
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse res) throws ServletException, IOException {
        res.setHeader("Cache-Control", "no-store");
        res.setHeader("X-Content-Type-Options", "nosniff");
        Optional<String> secret = presented(req);
        ApiKey key;
        try {
            key = auth.authenticate(req, res, secret, RateLimits.EndpointClass.READ);
        } catch (ApiException e) {
            if (e.status() == 401) {
                res.setHeader("WWW-Authenticate", "Bearer");
            }
            writeError(res, e);
            return;
        }
        req.setAttribute(CALLER, new Caller(key, secret.orElseThrow()));
        if (!"POST".equals(req.getMethod())) {
            transport.service(req, res); // GET (no server stream: 405) and the like, answered by the SDK
            return;
        }
        byte[] body;
        try {
            body = JsonRpcGate.body(req);
        } catch (ApiException e) {
            writeError(res, e);
            return;
        }
        if (!JsonRpcGate.isMessage(body)) {
            JsonRpcGate.invalidRequest(res);
            return;
        }
        JsonRpcGate.BufferedResponse buffered = new JsonRpcGate.BufferedResponse(res);
        transport.service(new JsonRpcGate.ReplayedRequest(req, body), buffered);
        buffered.finish();
    }

    private static void writeError(HttpServletResponse res, ApiException e) throws IOException {
        res.setStatus(e.status());
        res.setContentType("application/json; charset=utf-8");
        res.getOutputStream().write(Json.MAPPER.writeValueAsBytes(Json.errorBody(e)));
    }

    /** The key: {@code Authorization: Bearer <key>} (or a bare key), else {@code x-mcp-key}. */
    static Optional<String> presented(HttpServletRequest req) {
        String header = req.getHeader("Authorization");
        if (header != null && !header.isBlank()) {
            String h = header.strip();
            return Optional.of(h.regionMatches(true, 0, "Bearer ", 0, 7) ? h.substring(7).strip() : h);
        }
        String mcpKey = req.getHeader("x-mcp-key");
        return mcpKey == null || mcpKey.isBlank() ? Optional.empty() : Optional.of(mcpKey.strip());
    }
}
