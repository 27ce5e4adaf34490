package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.config.Setting;
import dev.linkpulse.support.Browser;
import dev.linkpulse.support.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The webhooks page in headless Chromium: create a subscription, see its secret once, watch a
 * failing delivery in the log, retry it now once the receiver answers. Pages pass axe's WCAG 2
 * A/AA rules; screenshots under target/screenshots/webhooks-*.png.
 */
@Tag("browser")
class WebhooksBrowserTest {

    static TestServer server;
    static Browser browser;
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
        browser = Browser.start(server, Duration.ofSeconds(15), null);
        driver = browser.driver();
        wait = browser.waiting();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void createSeeTheSecretOnceWatchAFailedDeliveryAndRetryItNow() throws Exception {
        server.createLink(Map.of("url", "https://example.com/hooked", "custom_alias", "hooked"));
        browser.signIn();
        driver.findElement(By.linkText("Webhooks")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Webhooks"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.tagName("main"), "No subscriptions yet"));
        browser.checkPage("webhooks-empty");

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
        browser.checkPage("webhooks-created");

        // A click; the receiver answers 500, so the delivery waits for its next attempt (an hour away).
        var click = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(browser.base() + "/hooked")).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
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
        browser.checkPage("webhooks-failed-delivery");

        answer.set(204);
        delivery.findElement(By.xpath(".//button[text()='Retry now']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-delivery]"), "delivered"));
        assertThat(driver.findElement(By.cssSelector("tr[data-delivery]")).getText()).contains("204");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-subscription]"), "active"));
        driver.findElement(By.cssSelector("tr[data-subscription] button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-delivery]"), "delivered"));
        browser.checkPage("webhooks-delivered");
    }
}
