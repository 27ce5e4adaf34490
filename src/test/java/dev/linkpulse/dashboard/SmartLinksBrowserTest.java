package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.linkpulse.support.Browser;
import dev.linkpulse.support.Http;
import dev.linkpulse.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Smart links in the dashboard (issue 17), in headless Chromium: password, click limit and rules of
 * a link, then an A/B test created, started, clicked and followed live, then completed. Every page
 * passes axe's WCAG 2 A/AA rules; screenshots at desktop and phone size go to target/screenshots/.
 */
@Tag("browser")
class SmartLinksBrowserTest {

    static final String HUMAN = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

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
    void settingsRulesAndAnAbTestFollowedLive() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/launch", "custom_alias", "smart-demo", "name", "Launch"));
        browser.signInUnlessSignedIn();

        // A link's smart settings, reached from its page.
        driver.get(browser.base() + "/dashboard/links/" + link.get("id").asText());
        wait.until(ExpectedConditions.elementToBeClickable(By.linkText("Smart settings"))).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Smart settings · Launch"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("rules-editor")));
        checkPage("smart-settings-empty");

        driver.findElement(By.id("s-password")).sendKeys("open sesame 1");
        driver.findElement(By.id("s-max")).sendKeys("100");
        driver.findElement(By.id("s-fallback")).sendKeys("https://example.com/sold-out");
        driver.findElement(By.cssSelector("#smart-settings button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("smart-settings"), "Settings saved."));
        JsonNode saved = server.http().get("/api/v1/short-urls/smart-demo", server.admin()).json().get("data");
        assertThat(saved.get("is_password_protected").asBoolean()).isTrue();
        assertThat(saved.get("max_clicks").asLong()).isEqualTo(100);
        assertThat(saved.get("fallback_url").asText()).isEqualTo("https://example.com/sold-out");

        // A rule with a bad value is refused naming its field; fixed, it is saved.
        driver.findElement(By.id("add-rule")).click();
        WebElement rule = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#rules .rule")));
        rule.findElement(By.cssSelector(".r-dest")).sendKeys("https://uk.example.com/");
        new Select(rule.findElement(By.cssSelector(".c-type"))).selectByValue("country");
        rule.findElement(By.cssSelector(".c-value")).sendKeys("GBR");
        driver.findElement(By.cssSelector("#rules-editor button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-editor"), "rules[0].conditions[0].value"));
        rule.findElement(By.cssSelector(".c-value")).clear();
        rule.findElement(By.cssSelector(".c-value")).sendKeys("GB");
        driver.findElement(By.cssSelector("#rules-editor button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("rules-editor"), "Saved 1 rule(s)."));
        JsonNode rules = server.http().get("/api/v1/short-urls/smart-demo/rules", server.admin()).json().get("data").get("rules");
        assertThat(rules.get(0).get("conditions").get(0).get("value").asText()).isEqualTo("GB");
        checkPage("smart-settings");

        // An A/B test: created in the form, started, clicked, followed live, completed.
        server.createLink(Map.of("url", "https://example.com/home", "custom_alias", "ab-demo"));
        driver.findElement(By.linkText("A/B tests")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "A/B tests"));
        driver.findElement(By.id("t-name")).sendKeys("Homepage headline");
        driver.findElement(By.id("t-link")).sendKeys("ab-demo");
        driver.findElement(By.id("t-min")).clear();
        driver.findElement(By.id("t-min")).sendKeys("5");
        List<WebElement> urls = driver.findElements(By.cssSelector("#variants .v-url"));
        urls.get(0).sendKeys("https://example.com/home-a");
        urls.get(1).sendKeys("https://example.com/home-b");
        checkPage("ab-tests-new");
        driver.findElement(By.cssSelector("#new-test button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "A/B test · Homepage headline"));
        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.xpath("//button[text()='Start']")).click();
                    return true;
                });
        wait.until(ExpectedConditions.textToBe(By.id("ab-status"), "running"));

        for (int i = 0; i < 30; i++) {
            Http.Response r = server.http().get("/ab-demo", "User-Agent", HUMAN, "X-Forwarded-For", "198.51.100." + (i + 1));
            assertThat(r.status()).isEqualTo(302);
            assertThat(r.header("Location")).isIn("https://example.com/home-a", "https://example.com/home-b");
        }
        server.awaitClicks("ab-demo", 30);
        // The results refresh on their own: the table comes to count all 30 clicks.
        // (read in one script: the table is rebuilt on every refresh)
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> Long.valueOf(30).equals(((org.openqa.selenium.JavascriptExecutor) d)
                .executeScript("const rows = [...document.querySelectorAll('#ab-table tbody tr')];"
                        + "return rows.length === 2 ? rows.reduce((n, r) => n + Number(r.cells[2].textContent), 0) : -1;")));
        checkPage("ab-test-running");
        // The rate is of converted clicks out of clicks: both columns show.
        assertThat(String.valueOf(((org.openqa.selenium.JavascriptExecutor) driver).executeScript(
                "return document.querySelector('#ab-table thead').textContent"))).contains("Converted clicks", "Conversion rate");

        new WebDriverWait(driver, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.xpath("//button[starts-with(text(), 'Complete')]")).click();
                    return true;
                });
        wait.until(ExpectedConditions.textToBe(By.id("ab-status"), "completed"));
        String winner = server.http().get("/api/v1/url-ab-tests/ab-demo", server.admin()).json().get("data").get("test")
                .get("winner_variant_id").asText();
        assertThat(winner).isNotEmpty();
        checkPage("ab-test-completed");

        driver.findElement(By.linkText("A/B tests")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Homepage headline")));
        checkPage("ab-tests");
    }

    @Test
    void aLinksConversionsShowBesideItsClicks() throws Exception {
        JsonNode link = server.createLink(Map.of("url", "https://example.com/buy", "name", "Checkout", "conversion_tracking", true));
        String code = link.get("short_code").asText();
        String converted = null;
        for (int i = 0; i < 4; i++) {
            String location = server.http().get("/" + code, "User-Agent", HUMAN, "X-Forwarded-For", "203.0.113." + (i + 30)).header("Location");
            converted = location.substring(location.indexOf("lp_click_id=") + "lp_click_id=".length());
        }
        server.awaitClicks(code, 4);
        assertThat(server.http().postJson("/api/v1/conversions", Http.json(Map.of("click_id", converted, "event", "sale", "amount", 42,
                "currency", "USD")), server.admin()).status()).isEqualTo(201);
        browser.signInUnlessSignedIn();
        driver.get(browser.base() + "/dashboard/links/" + link.get("id").asText());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("totals"), "Conversion rate"));
        String totals = driver.findElement(By.id("totals")).getText();
        assertThat(totals).contains("Conversions").contains("25%");
        checkPage("link-conversions");
    }

    /** The page check, its screenshots named smart-<name>. */
    static void checkPage(String name) throws Exception {
        browser.checkPage("smart-" + name);
    }
}
