package dev.linkpulse.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.clicks.Utm;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferrerClassifierTest {

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", value = {
            "NULL, NULL, NULL, direct",
            "'', NULL, NULL, direct",
            "https://www.google.com/search?q=x, NULL, google.com, search",
            "https://www.google.co.uk/, NULL, google.co.uk, search",
            "https://duckduckgo.com/, NULL, duckduckgo.com, search",
            "https://www.bing.com/search, NULL, bing.com, search",
            "https://search.brave.com/search?q=a, NULL, search.brave.com, search",
            "https://t.co/abc, NULL, t.co, social",
            "https://m.facebook.com/story, NULL, m.facebook.com, social",
            "https://l.instagram.com/?u=x, NULL, l.instagram.com, social",
            "https://old.reddit.com/r/java, NULL, old.reddit.com, social",
            "https://www.linkedin.com/feed/, NULL, linkedin.com, social",
            "https://mail.google.com/mail/u/0/, NULL, mail.google.com, email",
            "https://outlook.live.com/mail/, NULL, outlook.live.com, email",
            "android-app://com.google.android.gm/, NULL, com.google.android.gm, email",
            "https://blog.example.org/post, NULL, blog.example.org, referral",
            "https://google.example.org/, NULL, google.example.org, referral",
            "HTTPS://WWW.Example.COM:8443/x, NULL, example.com, referral",
            "https://user:pw@example.net/, NULL, example.net, referral",
            "not a url, NULL, NULL, direct",
            "NULL, email, NULL, email",
            "NULL, Newsletter, NULL, email",
            "NULL, social, NULL, social",
            "NULL, cpc, NULL, direct",
            "https://blog.example.org/, email, blog.example.org, email",
            "https://t.co/x, email, t.co, social"})
    void classifiesByDomainThenMedium(String referrer, String medium, String domain, String source) {
        Referrer r = ReferrerClassifier.classify(referrer, new Utm(null, medium, null, null, null));
        assertThat(r.domain()).isEqualTo(domain);
        assertThat(r.source()).isEqualTo(source);
    }
}
