package dev.linkpulse.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.App;
import dev.linkpulse.clicks.ingest.ClickRecorder;
import dev.linkpulse.config.ConfigLoader;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Http;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document describes every route the server registers, and nothing else. */
class OpenApiTest {

    @Test
    void everyRegisteredRouteIsDocumentedAndEveryDocumentedRouteExists(@TempDir Path dir) {
        var config = ConfigLoader.load(Map.of(), Map.of(Setting.PORT, "0", Setting.DATA_DIR, dir.toString()));
        try (App app = App.start(config, Clock.systemUTC(), ClickRecorder.Settings.DEFAULT)) {
            Http.Response r = new Http(app.port()).get("/api/v1/openapi.json");
            assertThat(r.status()).isEqualTo(200);
            JsonNode doc = r.json();
            assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
            List<String> documented = new ArrayList<>();
            doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
                if (!op.getKey().equals("parameters")) {
                    documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }));
            List<String> registered = app.endpoints().stream()
                    .filter(e -> !e.endsWith(" /api/*")) // the catch-all that answers NOT_FOUND
                    .filter(e -> !e.startsWith("AFTER ")) // --- metrics (issue 18): the request counter, a hook, not a route
                    .filter(e -> !e.startsWith("GET /dashboard") && !e.startsWith("GET /assets/")) // pages, not API
                    .toList();
            assertThat(registered).isNotEmpty();
            assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
        }
    }
}
