package dev.linkpulse.bench;

import dev.linkpulse.qr.QrRenderer;
import dev.linkpulse.qr.QrStyle;
import java.util.Arrays;

/**
 * Time to render one QR image, as {@code GET /qr-codes/{id}/image} does it (encode, draw, PNG or
 * SVG bytes), on one thread: a warm-up, then N timed renders of distinct short URLs; p50/p90/p99.
 * Usage: QrBench [renders] [size]
 */
public final class QrBench {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        QrStyle style = QrStyle.DEFAULT.withSize(size);
        for (QrRenderer.Format format : QrRenderer.Format.values()) {
            for (int i = 0; i < n; i++) { // warm-up: JIT, ImageIO's writers
                QrRenderer.render("https://lnk.example.com/w" + i, style, format);
            }
            long[] nanos = new long[n];
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                String url = "https://lnk.example.com/" + Long.toString(0x1000000000L + i * 7919L, 36);
                long start = System.nanoTime();
                bytes += QrRenderer.render(url, style, format).length;
                nanos[i] = System.nanoTime() - start;
            }
            Arrays.sort(nanos);
            System.out.printf("%s %d px: %d renders, p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms, %d bytes on average%n",
                    format, size, n, nanos[n / 2] / 1e6, nanos[n * 9 / 10] / 1e6, nanos[n * 99 / 100] / 1e6, nanos[n - 1] / 1e6, bytes / n);
        }
    }
}
