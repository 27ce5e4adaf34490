package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.support.Browser;
import dev.linkpulse.support.TestServer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard's Integrations page (issue 19) in headless Chromium: reached from the navigation,
 * it shows this server's MCP address, that the MCP server answers, and a client configuration that
 * is valid JSON naming that address and never the session's key. Passes axe's WCAG 2 A/AA rules at
 * phone and desktop size; screenshots under target/screenshots/.
 */
@Tag("browser")
class IntegrationsBrowserTest {

    static TestServer server;
    static Browser browser;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        browser = Browser.start(server);
        driver = browser.driver();
        wait = browser.waiting();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theIntegrationsPageShowsTheMcpAddressItsStatusAndAConfigToCopy() throws Exception {
        String base = browser.base();
        browser.signIn();

        driver.findElement(By.cssSelector("nav a[href='/dashboard/integrations']")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Integrations"));
        assertThat(driver.getCurrentUrl()).isEqualTo(base + "/dashboard/integrations");
        assertThat(driver.findElement(By.cssSelector("nav a[aria-current='page']")).getText()).isEqualTo("Integrations");
        assertThat(driver.findElement(By.id("mcp-url")).getText()).isEqualTo(base + "/mcp");
        wait.until(ExpectedConditions.textMatches(By.id("mcp-status"), java.util.regex.Pattern.compile("^Up: 66 tools")));
        // --- MCP module tools (issue 19): the tools, by group ---
        List<String> groups = driver.findElements(By.cssSelector("#mcp-tools li")).stream().map(WebElement::getText).toList();
        assertThat(groups).hasSize(7);
        assertThat(groups.get(0)).startsWith("Links: shortenUrl, listUrls");
        assertThat(String.join("\n", groups)).contains("QR codes: generateQr", "Campaigns: createCampaign", "Domains: checkSubdomainAvailability",
                "createAbTest", "setUrlRules", "trackConversion", "Webhooks: createWebhook");

        JsonNode config = new ObjectMapper().readTree(driver.findElement(By.id("mcp-config")).getText());
        JsonNode linkpulse = config.get("mcpServers").get("linkpulse");
        assertThat(linkpulse.get("url").asText()).isEqualTo(base + "/mcp");
        assertThat(linkpulse.get("type").asText()).isEqualTo("http");
        assertThat(linkpulse.get("headers").get("Authorization").asText()).isEqualTo("Bearer YOUR_API_KEY");
        assertThat(driver.getPageSource()).doesNotContain(TestServer.ADMIN_KEY);
        assertThat(driver.findElement(By.id("mcp-bridge")).getText()).contains(base + "/mcp");

        // A reload lands on the same page (the server serves every /dashboard path).
        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Integrations"));
        wait.until(ExpectedConditions.textMatches(By.id("mcp-status"), java.util.regex.Pattern.compile("^Up: ")));
        browser.checkPage("integrations");
        WebElement copy = driver.findElement(By.id("copy-mcp-config"));
        assertThat(copy.isDisplayed()).isTrue();
    }
}
