package dev.linkpulse.smartlinks;

import dev.linkpulse.links.SmartRedirects;
import java.util.Map;

/**
 * The password form of a protected link: plain HTML, no script, under a CSP that allows nothing
 * but its inline style and a form posted back to this site; never cached, never framed.
 */
final class PasswordPage {

    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private PasswordPage() {}

    /** Headers of the form beyond Cache-Control (which every smart answer gets). */
    static final Map<String, String> HEADERS = Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY", "Referrer-Policy", "no-referrer");

    static SmartRedirects.Answer form(int status, String code, String rawQuery, String problem) {
        String action = "/" + code + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
        return SmartRedirects.Answer.page(status, """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Password required</title>
                <style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:4rem auto;padding:0 1rem;color:#1f2328}
                input,button{font:inherit;padding:.4rem .6rem;margin:.3rem 0;width:100%%;box-sizing:border-box}
                .problem{color:#b42318}</style>
                </head><body><h1>Password required</h1><p>This link is protected. Enter its password to continue.</p>
                %s<form method="post" action="%s"><label for="password">Password</label>
                <input id="password" name="password" type="password" required autofocus autocomplete="current-password">
                <button type="submit">Continue</button></form></body></html>
                """.formatted(problem == null ? "" : "<p class=\"problem\" role=\"alert\">" + escape(problem) + "</p>", escape(action)),
                HEADERS);
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
