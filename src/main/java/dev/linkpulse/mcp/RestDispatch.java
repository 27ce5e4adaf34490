package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.http.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;

/**
 * Calls this server's REST API in-process, through a Jetty {@link LocalConnector} (no socket, no
 * port): a tool's request runs the very handler a REST client's would, with the caller's key, so
 * validation, permissions, workspace isolation, rate limits and response shapes are the REST API's
 * and exist once.
 */
final class RestDispatch {

    /** A REST answer: its status and its JSON body. */
    record Reply(int status, JsonNode body) {}

    /** A REST answer as it came: status, content type and bytes (an image). */
    record RawReply(int status, String contentType, byte[] bytes) {}

    private static final long TIMEOUT_SECONDS = 60;

    private volatile LocalConnector connector;

    /** Adds the in-process connector; called while the server is built. */
    void attach(Server server) {
        // Added once the server runs, after Javalin's own connector: Javalin reads its port from the first one.
        server.addEventListener(new org.eclipse.jetty.util.component.LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(org.eclipse.jetty.util.component.LifeCycle event) {
                LocalConnector local = new LocalConnector(server);
                local.setName("mcp-in-process");
                server.addConnector(local);
                try {
                    if (!local.isStarted()) {
                        local.start();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException("cannot start the MCP in-process connector", e);
                }
                connector = local;
            }
        });
    }

    Reply call(String secret, String method, String pathAndQuery, JsonNode body) {
        RawReply raw = raw(secret, method, pathAndQuery, body);
        String text = new String(raw.bytes(), StandardCharsets.UTF_8);
        try {
            return new Reply(raw.status(), text.isEmpty() ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(text));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("in-process call " + method + " answered no JSON (" + raw.status() + ")", e);
        }
    }

    RawReply raw(String secret, String method, String pathAndQuery, JsonNode body) {
        LocalConnector local = connector;
        if (local == null) {
            throw new IllegalStateException("the MCP dispatcher is not attached to the server");
        }
        HttpTester.Request request = HttpTester.newRequest();
        request.setMethod(method);
        request.setURI(pathAndQuery);
        request.setVersion(HttpVersion.HTTP_1_1);
        request.setHeader("Host", "localhost");
        request.setHeader("Authorization", "Bearer " + secret);
        request.setHeader("Accept", "application/json");
        request.setHeader("Connection", "close");
        if (body != null) {
            try {
                request.setHeader("Content-Type", "application/json");
                request.setContent(Json.MAPPER.writeValueAsBytes(body));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        HttpTester.Response response;
        try {
            ByteBuffer raw = local.getResponse(request.generate(), TIMEOUT_SECONDS, TimeUnit.SECONDS);
            response = HttpTester.parseResponse(raw);
        } catch (Exception e) {
            throw new IllegalStateException("in-process call " + method + " failed", e);
        }
        if (response == null) {
            throw new IllegalStateException("in-process call " + method + " got no answer");
        }
        byte[] bytes = response.getContentBytes() == null ? new byte[0] : response.getContentBytes();
        return new RawReply(response.getStatus(), response.get("Content-Type"), bytes);
    }
}
