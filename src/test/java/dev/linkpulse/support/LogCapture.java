package dev.linkpulse.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the server logs while open: slf4j-simple writes every line to {@code System.err}, looked up
 * per line, so swapping the stream catches the log lines of every thread. The lines still reach
 * the original stream too, so a failing test's output shows them. Test classes of one surefire fork
 * run one at a time, so nothing else's lines mix in.
 */
public final class LogCapture implements AutoCloseable {

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream original = System.err;

    private LogCapture() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Everything logged so far. */
    public String text() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * The highest attempt count logged in lines containing {@code message} followed by
     * "(N attempts)", 0 if none. {@code Backoff} logs the first failure and every 20th after it,
     * so a retry loop without growing waits would log 20 within a fraction of a second.
     */
    public int mostAttemptsLogged(String message) {
        Matcher m = Pattern.compile(Pattern.quote(message) + " \\((\\d+) attempts\\)").matcher(text());
        int most = 0;
        while (m.find()) {
            most = Math.max(most, Integer.parseInt(m.group(1)));
        }
        return most;
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
