package dev.linkpulse.links;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The redirect cache: packed links, absent codes, invalidation, its bound, and readers racing writers. */
class LinkCacheTest {

    private static final String WORKSPACE = "ws-1";

    @Test
    void aPackedLinkGivesBackEveryFieldTheRedirectReads() {
        ShortUrl uuidLink = link("abc_-9", "0b7e4c0e-2f55-4a8e-9a61-3c1f0f6d2e11", "https://example.com/ä/ü?q=1#x",
                true, true, false, 1_700_000_000_000L);
        RedirectTarget t = RedirectTarget.of("abc_-9", uuidLink, WORKSPACE);
        assertThat(t.hasCode("abc_-9")).isTrue();
        assertThat(t.hasCode("abc_-8")).isFalse();
        assertThat(t.hasCode("abc_-")).isFalse();
        assertThat(t.code()).isEqualTo("abc_-9");
        assertThat(t.id()).isEqualTo("0b7e4c0e-2f55-4a8e-9a61-3c1f0f6d2e11");
        assertThat(t.workspaceId()).isEqualTo(WORKSPACE);
        assertThat(t.destination()).isEqualTo("https://example.com/ä/ü?q=1#x");
        assertThat(t.trackingEnabled()).isTrue();
        assertThat(t.dynamic()).isTrue();
        assertThat(t.forwardQuery()).isFalse();
        assertThat(t.isExpiredAt(1_699_999_999_999L)).isFalse();
        assertThat(t.isExpiredAt(1_700_000_000_000L)).isTrue();

        // Ids that are not canonical UUIDs are kept as they are, letter case included.
        for (String id : List.of("0B7E4C0E-2F55-4A8E-9A61-3C1F0F6D2E11", "legacy-7", "ünïcode-id", "")) {
            RedirectTarget other = RedirectTarget.of("x", link("x", id, "https://e.org", false, false, true, null), WORKSPACE);
            assertThat(other.id()).isEqualTo(id);
            assertThat(other.destination()).isEqualTo("https://e.org");
            assertThat(other.trackingEnabled()).isFalse();
            assertThat(other.dynamic()).isFalse();
            assertThat(other.forwardQuery()).isTrue();
            assertThat(other.isExpiredAt(Long.MAX_VALUE)).isFalse();
        }
    }

    @Test
    void onlyShortAsciiCodesArePacked() {
        assertThat(RedirectTarget.fits("a".repeat(127))).isTrue();
        assertThat(RedirectTarget.fits("a".repeat(128))).isFalse();
        assertThat(RedirectTarget.fits("ab\u00e9")).isFalse();
    }

    @Test
    void aLinkAndAnAbsentCodeAreEachLoadedOnce() {
        Store store = new Store();
        store.put(link("known", uuid(1), "https://example.com/1", true, false, false, null));
        LinkCache cache = new LinkCache(1_000, 1_000, store);
        for (int i = 0; i < 3; i++) {
            assertThat(cache.get("known").destination()).isEqualTo("https://example.com/1");
            assertThat(cache.get("unknown")).isNull();
        }
        assertThat(store.loads("known")).isEqualTo(1);
        assertThat(store.loads("unknown")).isEqualTo(1);
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aDisabledLinkIsNoRedirect() {
        Store store = new Store();
        ShortUrl enabled = link("off", uuid(2), "https://example.com/2", true, false, false, null);
        store.put(new ShortUrl(enabled.id(), enabled.workspaceId(), enabled.shortCode(), false, enabled.originalUrl(), null,
                true, false, false, true, null, null, 0, 0));
        LinkCache cache = new LinkCache(1_000, 1_000, store);
        assertThat(cache.get("off")).isNull();
        assertThat(cache.size()).isZero();
    }

    @Test
    void invalidationMakesTheNextRequestSeeTheStore() {
        Store store = new Store();
        store.put(link("a", uuid(3), "https://example.com/old", true, false, false, null));
        LinkCache cache = new LinkCache(1_000, 1_000, store);
        assertThat(cache.get("a").destination()).isEqualTo("https://example.com/old");
        assertThat(cache.get("b")).isNull();

        store.put(link("a", uuid(3), "https://example.com/new", true, false, false, null));
        store.put(link("b", uuid(4), "https://example.com/b", true, false, false, null));
        assertThat(cache.get("a").destination()).isEqualTo("https://example.com/old");
        cache.invalidate("a");
        cache.invalidate("b");
        assertThat(cache.get("a").destination()).isEqualTo("https://example.com/new");
        assertThat(cache.get("b").destination()).isEqualTo("https://example.com/b");

        store.remove("a");
        store.put(link("b", uuid(4), "https://example.com/b2", true, false, false, null));
        cache.invalidateAll();
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b").destination()).isEqualTo("https://example.com/b2");
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void aLoadThatRacedWithAnInvalidationIsAnsweredButNotKept() throws Exception {
        Store store = new Store();
        store.put(link("r", uuid(5), "https://example.com/before", true, false, false, null));
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch invalidated = new CountDownLatch(1);
        AtomicBoolean blockFirstLoad = new AtomicBoolean(true);
        LinkCache cache = new LinkCache(1_000, 1_000, code -> {
            Optional<ShortUrl> read = store.apply(code);
            if (blockFirstLoad.getAndSet(false)) {
                loading.countDown();
                await(invalidated);
            }
            return read;
        });
        AtomicReference<RedirectTarget> raced = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> raced.set(cache.get("r")));
        await(loading);
        store.put(link("r", uuid(5), "https://example.com/after", true, false, false, null));
        cache.invalidate("r");
        invalidated.countDown();
        reader.join();

        assertThat(raced.get().destination()).isEqualTo("https://example.com/before");
        assertThat(cache.get("r").destination()).isEqualTo("https://example.com/after");
    }

    @Test
    void theBoundHoldsAndEveryCodeStillFindsItsOwnLink() {
        Store store = new Store();
        for (int i = 0; i < 2_000; i++) {
            store.put(link("c" + i, uuid(i), "https://example.com/" + i, true, false, false, null));
        }
        LinkCache cache = new LinkCache(160, 1_000, store);
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 2_000; i++) {
                assertThat(cache.get("c" + i).destination()).isEqualTo("https://example.com/" + i);
            }
        }
        assertThat(cache.size()).isLessThanOrEqualTo(160).isGreaterThanOrEqualTo(16);
    }

    @Test
    void readersNeverSeeAnotherCodesLinkWhileWritersInvalidate() throws Exception {
        int links = 5_000;
        Store store = new Store();
        for (int i = 0; i < links; i++) {
            store.put(link("k" + i, uuid(i), "https://example.com/" + i, true, false, false, null));
        }
        LinkCache cache = new LinkCache(2_000, 500, store);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger reads = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (!stop.get()) {
                    int i = random.nextInt(links + 500);
                    RedirectTarget found = cache.get("k" + i);
                    boolean right = i < links
                            ? found != null && found.hasCode("k" + i) && found.destination().equals("https://example.com/" + i)
                                    && found.id().equals(uuid(i))
                            : found == null;
                    if (!right) {
                        wrong.incrementAndGet();
                    }
                    reads.incrementAndGet();
                }
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int n = 0; !stop.get(); n++) {
                if (n % 5_000 == 4_999) {
                    cache.invalidateAll();
                } else {
                    cache.invalidate("k" + random.nextInt(links));
                }
            }
        }));
        TimeUnit.MILLISECONDS.sleep(1_500);
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertThat(reads.get()).isGreaterThan(10_000);
        assertThat(wrong.get()).isZero();
        assertThat(cache.size()).isLessThanOrEqualTo(2_000);
    }

    private static ShortUrl link(String code, String id, String url, boolean tracking, boolean dynamic, boolean forwardQuery,
            Long expiresAt) {
        return new ShortUrl(id, WORKSPACE, code, false, url, "name " + code, tracking, dynamic, forwardQuery, false, null,
                expiresAt, 0, 0);
    }

    private static String uuid(int n) {
        return String.format("00000000-0000-4000-8000-%012d", n);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The links table, in memory: counts the loads of each code. */
    private static final class Store implements Function<String, Optional<ShortUrl>> {
        private final Map<String, ShortUrl> links = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> loads = new ConcurrentHashMap<>();

        void put(ShortUrl link) {
            links.put(link.shortCode(), link);
        }

        void remove(String code) {
            links.remove(code);
        }

        int loads(String code) {
            return loads.getOrDefault(code, new AtomicInteger()).get();
        }

        @Override
        public Optional<ShortUrl> apply(String code) {
            loads.computeIfAbsent(code, c -> new AtomicInteger()).incrementAndGet();
            return Optional.ofNullable(links.get(code));
        }
    }
}
