package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/v1/bulk-urls/validate} and {@code /create}. */
class BulkImportTest {

    static TestServer server;

    static final String CSV = String.join("\r\n",
            "url,custom_alias,name,is_dynamic,ignored column",
            "https://example.com/one,bulk-one,\"One, with a comma\",true,x",
            "javascript:alert(1),,Bad scheme,,",
            "https://example.com/three,bulk-one,Repeats an alias,,",
            "https://example.com/four,,\"Quoted \"\"name\"\"\",no,",
            "https://example.com/five,ab,Alias too short,,",
            "https://example.com/six,,,maybe,",
            "https://example.com/seven,taken-before,Alias taken,,",
            "") ;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        server.createLink(Map.of("url", "https://example.com/t", "custom_alias", "taken-before"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Http.Response json(String path, Map<String, ?> body) {
        return server.http().postJson(path, Http.json(body), server.admin());
    }

    static Http.Response multipart(String path, byte[] file) {
        String boundary = "----linkpulse-test-boundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"links.csv\"\r\n"
                + "Content-Type: text/csv\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + file.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(file, 0, body, head.length, file.length);
        System.arraycopy(tail, 0, body, head.length + file.length, tail.length);
        return server.http().post(path, "multipart/form-data; boundary=" + boundary, body, server.admin());
    }

    static void assertRowResults(JsonNode results, String validKey) {
        assertThat(results).hasSize(7);
        boolean[] expectedValid = {true, false, false, true, false, false, false};
        String[] errorFields = {null, "url", "custom_alias", null, "custom_alias", "is_dynamic", "custom_alias"};
        for (int i = 0; i < 7; i++) {
            JsonNode r = results.get(i);
            assertThat(r.get("row").asInt()).isEqualTo(i + 1);
            assertThat(r.get(validKey).asBoolean()).as("row " + (i + 1)).isEqualTo(expectedValid[i]);
            if (errorFields[i] != null) {
                JsonNode error = r.has("errors") ? r.get("errors").get(0) : r.get("error");
                assertThat(error.get("field").asText()).as("row " + (i + 1)).isEqualTo(errorFields[i]);
                assertThat(error.get("message").asText()).isNotBlank();
            }
        }
    }

    @Test
    void validateReportsEveryRowAndCreatesNothing() {
        long before = server.http().get("/api/v1/short-urls", server.admin()).json().get("pagination").get("total").asLong();
        Http.Response r = json("/api/v1/bulk-urls/validate", Map.of("csv_content", CSV));
        assertThat(r.status()).isEqualTo(200);
        JsonNode data = r.json().get("data");
        assertThat(data.get("total_rows").asInt()).isEqualTo(7);
        assertThat(data.get("valid_rows").asInt()).isEqualTo(2);
        assertThat(data.get("invalid_rows").asInt()).isEqualTo(5);
        assertRowResults(data.get("results"), "valid");
        assertThat(data.get("results").get(2).get("errors").get(0).get("message").asText()).contains("row 1");
        assertThat(data.get("validated_urls")).hasSize(2);
        assertThat(data.get("validated_urls").get(0).get("name").asText()).isEqualTo("One, with a comma");
        assertThat(data.get("validated_urls").get(1).get("name").asText()).isEqualTo("Quoted \"name\"");
        long after = server.http().get("/api/v1/short-urls", server.admin()).json().get("pagination").get("total").asLong();
        assertThat(after).isEqualTo(before);
        assertThat(server.http().get("/bulk-one").status()).isEqualTo(404);
    }

    @Test
    void createFromAMultipartFileCreatesTheGoodRowsAndReportsTheBadOnes() {
        Http.Response r = multipart("/api/v1/bulk-urls/create", CSV.replace("bulk-one", "bulk-file").getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode data = r.json().get("data");
        assertThat(data.get("total_rows").asInt()).isEqualTo(7);
        assertThat(data.get("created_count").asInt()).isEqualTo(2);
        assertThat(data.get("failed_count").asInt()).isEqualTo(5);
        assertRowResults(data.get("results"), "success");
        JsonNode first = data.get("results").get(0).get("short_url");
        assertThat(first.get("short_code").asText()).isEqualTo("bulk-file");
        assertThat(first.get("is_dynamic").asBoolean()).isTrue();
        assertThat(server.http().get("/bulk-file").status()).isEqualTo(302);
        String generated = data.get("results").get(3).get("short_url").get("short_code").asText();
        assertThat(server.http().get("/" + generated).header("Location")).isEqualTo("https://example.com/four");
    }

    @Test
    void validateAnswersInJmpysShapeWithAPreview() {
        Http.Response r = json("/api/v1/bulk-urls/validate", Map.of("csv_content", CSV));
        JsonNode body = r.json();
        assertThat(body.get("message").asText()).isEqualTo("2 of 7 rows are valid and will be created");
        JsonNode validation = body.get("data").get("validation");
        assertThat(validation.get("is_valid").asBoolean()).isFalse();
        assertThat(validation.get("total_rows").asInt()).isEqualTo(7);
        assertThat(validation.get("valid_rows").asInt()).isEqualTo(2);
        assertThat(validation.get("invalid_rows").asInt()).isEqualTo(5);
        assertThat(validation.get("errors").findValuesAsText("row")).containsExactly("2", "3", "5", "6", "7");
        assertThat(validation.get("errors").get(0).get("field").asText()).isEqualTo("url");
        JsonNode preview = body.get("data").get("preview");
        assertThat(preview.get("will_create").asInt()).isEqualTo(2);
        assertThat(preview.get("will_skip").asInt()).isEqualTo(5);
        assertThat(preview.get("available_limit").asInt()).isEqualTo(BulkImport.MAX_ROWS);
        assertThat(preview.get("valid_urls").findValuesAsText("url"))
                .containsExactly("https://example.com/one", "https://example.com/four");
        assertThat(preview.get("valid_urls").get(0).get("custom_alias").asText()).isEqualTo("bulk-one");
        assertThat(preview.get("invalid_urls").findValuesAsText("url")).containsExactly("javascript:alert(1)",
                "https://example.com/three", "https://example.com/five", "https://example.com/six", "https://example.com/seven");
        assertThat(preview.get("invalid_urls").get(1).get("errors").get(0).get("code").asText()).isEqualTo("ALIAS_TAKEN");
    }

    @Test
    void createAnswersInJmpysShapeWithCreatedAndFailedRows() {
        Http.Response r = json("/api/v1/bulk-urls/create", Map.of("csv_content", CSV.replace("bulk-one", "bulk-shape")));
        assertThat(r.status()).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(body.get("message").asText()).isEqualTo("Created 2 of 7 short URLs; 5 failed");
        JsonNode data = body.get("data");
        assertThat(data.get("results")).hasSize(7);
        assertThat(data.get("created")).hasSize(2);
        assertThat(data.get("created").get(0).get("row").asInt()).isEqualTo(1);
        assertThat(data.get("created").get(0).get("short_code").asText()).isEqualTo("bulk-shape");
        assertThat(data.get("created").get(0).get("short_url").asText()).endsWith("/bulk-shape");
        assertThat(data.get("created").get(1).get("original_url").asText()).isEqualTo("https://example.com/four");
        assertThat(data.get("failed")).hasSize(5);
        assertThat(data.get("failed").findValuesAsText("row")).containsExactly("2", "3", "5", "6", "7");
        JsonNode firstFailure = data.get("failed").get(0);
        assertThat(firstFailure.get("url").asText()).isEqualTo("javascript:alert(1)");
        assertThat(firstFailure.get("error").get("field").asText()).isEqualTo("url");
        assertThat(firstFailure.get("error").get("code").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(firstFailure.get("error").get("message").asText()).isNotBlank();
        assertThat(data.get("failed").get(4).get("error").get("code").asText()).isEqualTo("ALIAS_TAKEN");
    }

    @Test
    void createFromValidatedUrls() {
        JsonNode validated = json("/api/v1/bulk-urls/validate",
                Map.of("csv_content", "url,alias\nhttps://example.com/v1,bulk-v1\nhttps://example.com/v2,")).json()
                .get("data").get("validated_urls");
        Http.Response r = json("/api/v1/bulk-urls/create", Map.of("validated_urls", validated));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("data").get("created_count").asInt()).isEqualTo(2);
        assertThat(server.http().get("/bulk-v1").header("Location")).isEqualTo("https://example.com/v1");
        // The same rows again: the alias is now taken, the other row is a new link.
        Http.Response again = json("/api/v1/bulk-urls/create", Map.of("validated_urls", validated));
        assertThat(again.json().get("data").get("created_count").asInt()).isEqualTo(1);
        assertThat(again.json().get("data").get("results").get(0).get("error").get("code").asText()).isEqualTo("ALIAS_TAKEN");
    }

    @Test
    void malformedOrMissingInputIsAClearError() {
        assertField(json("/api/v1/bulk-urls/validate", Map.of()), "csv_content");
        assertField(json("/api/v1/bulk-urls/create", Map.of()), "validated_urls");
        assertField(json("/api/v1/bulk-urls/validate", Map.of("csv_content", "")), "csv_content");
        assertField(json("/api/v1/bulk-urls/validate", Map.of("csv_content", "name,alias\nx,y")), "csv_content");
        assertField(json("/api/v1/bulk-urls/validate", Map.of("csv_content", "url\n\"https://example.com")), "csv_content");
        assertField(json("/api/v1/bulk-urls/validate", Map.of("csv_content", 42)), "csv_content");
        assertField(json("/api/v1/bulk-urls/create", Map.of("validated_urls", "nope")), "validated_urls");
        assertField(json("/api/v1/bulk-urls/create", Map.of("validated_urls", List.of())), "validated_urls");
        assertField(multipart("/api/v1/bulk-urls/validate", new byte[] {'u', 'r', 'l', '\n', (byte) 0xff, (byte) 0xfe}), "file");
    }

    static void assertField(Http.Response r, String field) {
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("error").get("details").get("field").asText()).isEqualTo(field);
    }

    @Test
    void aCsvOverFiveMegabytesIsRefusedClearly() {
        StringBuilder big = new StringBuilder("url\n");
        while (big.length() <= 5 * 1024 * 1024) {
            big.append("https://example.com/").append("p".repeat(80)).append('\n');
        }
        for (Http.Response r : List.of(
                multipart("/api/v1/bulk-urls/validate", big.toString().getBytes(StandardCharsets.UTF_8)),
                json("/api/v1/bulk-urls/validate", Map.of("csv_content", big.toString())))) {
            assertThat(r.status()).as(r.body()).isEqualTo(413);
            assertThat(r.json().get("error").get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
            assertThat(r.json().get("error").get("details").get("max_bytes").asInt()).isEqualTo(5 * 1024 * 1024);
        }
    }
}
