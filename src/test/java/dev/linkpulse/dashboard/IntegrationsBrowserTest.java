package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.linkpulse.support.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
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

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SHOTS = Path.of("target/screenshots");

    static TestServer server;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
        wait = new WebDriverWait(driver, Duration.ofSeconds(10));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theIntegrationsPageShowsTheMcpAddressItsStatusAndAConfigToCopy() throws Exception {
        String base = "http://127.0.0.1:" + server.port();
        driver.get(base + "/dashboard");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("api-key"))).sendKeys(TestServer.ADMIN_KEY, Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));

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
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(driver);
            List<String> violations = results.getViolations().stream()
                    .map((Rule r) -> r.getId() + ": " + r.getHelp() + " " + r.getNodes().stream().map(n -> n.getTarget().toString()).toList())
                    .toList();
            assertThat(violations).as("integrations at " + size).isEmpty();
            Object wide = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "const d = document.documentElement; return d.scrollWidth > d.clientWidth ? d.scrollWidth + ' > ' + d.clientWidth : '';");
            assertThat(String.valueOf(wide)).as("integrations at " + size + ": wider than the screen").isEmpty();
            byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve("integrations-" + (size.equals(PHONE) ? "phone" : "desktop") + ".png"), png);
        }
        WebElement copy = driver.findElement(By.id("copy-mcp-config"));
        assertThat(copy.isDisplayed()).isTrue();
    }
}
