package dev.linkpulse.qr;

import dev.linkpulse.http.ApiException;
import io.javalin.http.Context;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Bounds image work to one render per core. Requests run on virtual threads, so without this a
 * burst of 2048 px renders would take every core from the redirects; beyond the bound a request
 * waits briefly, then gets 503 with {@code Retry-After}.
 */
public final class RenderGate {

    private static final int RETRY_AFTER_SECONDS = 1;
    private final Semaphore permits;
    private final long waitMillis;

    public RenderGate(int permits, long waitMillis) {
        this.permits = new Semaphore(Math.max(1, permits), true);
        this.waitMillis = waitMillis;
    }

    public static RenderGate perCore() {
        return new RenderGate(Runtime.getRuntime().availableProcessors(), 2_000);
    }

    public byte[] render(Context ctx, Supplier<byte[]> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            throw new ApiException(503, "SERVICE_UNAVAILABLE", "Too many images are being rendered; retry shortly",
                    java.util.Map.of("retry_after", RETRY_AFTER_SECONDS));
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }
}
