package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import dev.linkpulse.config.Setting;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
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
 * The webhooks page in headless Chromium: create a subscription, see its secret once, watch a
 * failing delivery in the log, retry it now once the receiver answers. Pages pass axe's WCAG 2
 * A/AA rules; screenshots under target/screenshots/webhooks-*.png.
 */
@Tag("browser")
class WebhooksBrowserTest {

    static final Dimension DESKTOP = new Dimension(1280, 900);
    static final Dimension PHONE = new Dimension(390, 844);
    static final Path SHOTS = Path.of("target/screenshots");

    static TestServer server;
    static WebDriver driver;
    static WebDriverWait wait;
    static com.sun.net.httpserver.HttpServer receiver;
    static final AtomicInteger answer = new AtomicInteger(500);
    static final AtomicInteger received = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        server = TestServer.start(Map.of(Setting.WEBHOOK_ALLOW_PRIVATE, "true", Setting.WEBHOOK_RETRY, "1h,2h,24h"));
        receiver = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            received.incrementAndGet();
            ex.sendResponseHeaders(answer.get(), -1);
            ex.close();
        });
        receiver.start();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        driver = new ChromeDriver(service, options);
        driver.manage().window().setSize(DESKTOP);
        wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    String base() {
        return "http://127.0.0.1:" + server.port();
    }

    @Test
    void createSeeTheSecretOnceWatchAFailedDeliveryAndRetryItNow() throws Exception {
        server.createLink(Map.of("url", "https://example.com/hooked", "custom_alias", "hooked"));
        driver.get(base() + "/dashboard");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key"))).sendKeys(TestServer.ADMIN_KEY, Keys.ENTER);
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        driver.findElement(By.linkText("Webhooks")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Webhooks"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "No subscriptions yet"));
        checkPage("webhooks-empty");

        // A private target is refused unless the operator allowed it; here a scheme error shows on its field.
        driver.findElement(By.id("hook-url")).sendKeys("ftp://example.com/x", Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#error-target_url")));
        assertThat(error.getText()).contains("http");
        driver.findElement(By.id("hook-url")).clear();

        String target = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/linkpulse";
        driver.findElement(By.id("hook-url")).sendKeys(target);
        driver.findElement(By.id("hook-code")).sendKeys("hooked");
        driver.findElement(By.cssSelector("form.card button[type=submit]")).click();
        WebElement secret = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".secret-value")));
        assertThat(secret.getText()).startsWith("whsec_");
        String shownSecret = secret.getText();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-subscription]")));
        checkPage("webhooks-created");

        // A click; the receiver answers 500, so the delivery waits for its next attempt (an hour away).
        var click = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(base() + "/hooked")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(click.statusCode()).isEqualTo(301);
        TestServer.await(Duration.ofSeconds(20), () -> received.get() >= 1);

        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Webhooks"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-subscription]")));
        assertThat(driver.getPageSource()).as("the secret is shown once").doesNotContain(shownSecret);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-subscription]"), "failing"));
        driver.findElement(By.cssSelector("tr[data-subscription] button")).click(); // Deliveries
        WebElement delivery = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("tr[data-delivery]")));
        assertThat(delivery.getText()).contains("link.clicked").contains("pending").contains("500");
        checkPage("webhooks-failed-delivery");

        answer.set(204);
        delivery.findElement(By.xpath(".//button[text()='Retry now']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-delivery]"), "delivered"));
        assertThat(driver.findElement(By.cssSelector("tr[data-delivery]")).getText()).contains("204");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-subscription]"), "active"));
        driver.findElement(By.cssSelector("tr[data-subscription] button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-delivery]"), "delivered"));
        checkPage("webhooks-delivered");
    }

    void checkPage(String name) throws IOException {
        for (Dimension size : List.of(PHONE, DESKTOP)) {
            driver.manage().window().setSize(size);
            Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze(driver);
            List<String> violations = results.getViolations().stream()
                    .map((Rule r) -> r.getId() + ": " + r.getHelp() + " " + r.getNodes().stream().map(n -> n.getTarget().toString()).toList())
                    .toList();
            assertThat(violations).as(name + " at " + size).isEmpty();
            Object wide = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                    "const d = document.documentElement; if (d.scrollWidth <= d.clientWidth) return '';"
                    + "return d.scrollWidth + ' > ' + d.clientWidth + ': ' + [...document.querySelectorAll('main *')]"
                    + ".filter(e => e.getBoundingClientRect().right > d.clientWidth + 1 && !e.closest('.table-wrap'))"
                    + ".slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).join(', ');");
            assertThat(String.valueOf(wide)).as(name + " at " + size + ": wider than the screen").isEmpty();
            assertThat(driver.findElement(By.id("main")).getText()).as(name).doesNotContain("undefined");
            byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
            Files.write(SHOTS.resolve(name + "-" + (size.equals(PHONE) ? "phone" : "desktop") + ".png"), png);
        }
    }
}
