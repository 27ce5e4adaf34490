package dev.linkpulse.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.Browser;
import dev.linkpulse.support.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Campaigns, tags and domains in the dashboard (issue 16), in headless Chromium: a campaign made
 * and filled, a subdomain and a branded domain added, a link created on the subdomain with a
 * campaign and tags, its tag chips filtering the list, and the campaign's totals counting a click.
 * Every page passes axe's WCAG 2 A/AA rules; screenshots land in target/screenshots/.
 */
@Tag("browser")
class CampaignsBrowserTest {

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
    void campaignsDomainsAndTagsFromTheDashboard() throws Exception {
        browser.signIn();

        // A campaign
        driver.findElement(By.linkText("Campaigns")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Campaigns"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "No campaigns yet"));
        driver.findElement(By.id("c-name")).sendKeys("a/b", Keys.ENTER);
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#c-name + p.error")));
        assertThat(error.getText()).contains("'/'");
        driver.findElement(By.id("c-name")).clear();
        driver.findElement(By.id("c-name")).sendKeys("Spring launch");
        driver.findElement(By.id("c-description")).sendKeys("New season", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Spring launch")));
        checkPage("campaigns");

        // Domains: a subdomain, and a branded domain waiting for its TXT record
        driver.findElement(By.linkText("Domains")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Domains"));
        driver.findElement(By.id("d-sub")).sendKeys("shop", Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "shop.localhost"));
        driver.findElement(By.id("d-brand")).sendKeys("go.brand.example", Keys.ENTER);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "_linkpulse.go.brand.example"));
        assertThat(driver.findElement(By.id("main")).getText()).contains("not verified").contains("linkpulse-verify=");
        checkPage("domains");

        // A link on the subdomain, in the campaign, with tags; and one on the standard domain
        driver.findElement(By.linkText("Links")).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Links"));
        wait.until(d -> new Select(d.findElement(By.id("new-domain"))).getOptions().size() == 2
                && new Select(d.findElement(By.id("new-campaign"))).getOptions().size() == 2);
        driver.findElement(By.id("new-url")).sendKeys("https://example.com/shop");
        driver.findElement(By.id("new-alias")).sendKeys("spring");
        new Select(driver.findElement(By.id("new-domain"))).selectByVisibleText("shop.localhost");
        new Select(driver.findElement(By.id("new-campaign"))).selectByVisibleText("Spring launch");
        driver.findElement(By.id("new-tags")).sendKeys("News, spring");
        driver.findElement(By.id("new-name")).sendKeys("Shop spring", Keys.ENTER);
        WebElement created = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".result a.short-url")));
        assertThat(created.getText()).isEqualTo("http://shop.localhost:8080/spring");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Shop spring")));

        driver.findElement(By.id("new-url")).sendKeys("https://example.com/blog");
        driver.findElement(By.id("new-alias")).sendKeys("spring"); // the same alias, on the standard domain
        new Select(driver.findElement(By.id("new-campaign"))).selectByVisibleText("Spring launch");
        driver.findElement(By.id("new-tags")).sendKeys("blog");
        driver.findElement(By.id("new-name")).sendKeys("Blog spring", Keys.ENTER);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Blog spring")));
        assertThat(driver.findElements(By.cssSelector("a.chip"))).extracting(WebElement::getText).contains("news", "spring", "blog");
        checkPage("links-with-tags");

        // A chip filters the list by its tag
        driver.findElement(By.xpath("//a[contains(@class,'chip') and text()='news']")).click();
        wait.until(ExpectedConditions.urlContains("tags=news"));
        wait.until(d -> d.findElements(By.linkText("Blog spring")).isEmpty() && d.findElements(By.linkText("Shop spring")).size() == 1);
        assertThat(driver.findElement(By.id("tags")).getAttribute("value")).isEqualTo("news");

        // A click on the standard link counts in the campaign's totals
        HttpResponse<Void> click = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(browser.base() + "/spring"))
                .header("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(click.statusCode()).isEqualTo(301);
        server.awaitClicks(null, 1);
        driver.findElement(By.linkText("Campaigns")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.linkText("Spring launch"))).click();
        wait.until(ExpectedConditions.textToBe(By.tagName("h1"), "Spring launch"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#c-totals .panel-body"), "Total clicks"));
        assertThat(driver.findElement(By.cssSelector("#c-totals .stat-value")).getText()).isEqualTo("1");
        assertThat(driver.findElement(By.id("c-links")).getText()).contains("Shop spring").contains("Blog spring");
        checkPage("campaign");
    }

    /** The page check, its screenshots named campaigns-<name>. */
    static void checkPage(String name) throws Exception {
        browser.checkPage("campaigns-" + name);
    }
}
