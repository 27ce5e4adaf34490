package dev.linkpulse.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.linkpulse.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/** A set bound as one parameter matches exactly its members, whatever their number or characters, on the suite's store. */
class IdSetTest {

    @Test
    void matchesExactlyItsMembersPastBothStoresParameterLimits() {
        try (TestServer server = TestServer.start(); Database db = server.openStore()) {
            db.jdbi().useHandle(h -> {
                h.execute("CREATE TABLE id_set_probe (id TEXT PRIMARY KEY)");
                List<String> odd = List.of("a\"b", "back\\slash", "it's", "é€😀", "[1,2]", "x y", "tab\there", "");
                List<String> stored = new ArrayList<>(odd);
                for (int i = 0; i < 70_000; i++) {
                    stored.add("id-" + i);
                }
                var batch = h.prepareBatch("INSERT INTO id_set_probe (id) VALUES (:id)");
                stored.forEach(id -> batch.bind("id", id).add());
                batch.execute();

                // More members than either store takes parameters (PostgreSQL's protocol 65,535; SQLite
                // 32,766 by default, 250,000 as sqlite-jdbc builds it), most of them absent.
                List<String> many = new ArrayList<>();
                for (int i = 0; i < 520_000; i += 2) {
                    many.add("id-" + i);
                }
                assertThat(count(h, new IdSet(db.dialect(), "ids", many))).isEqualTo(35_000);
                // Characters JSON and SQL quote: each matches itself only.
                for (String id : odd) {
                    assertThat(count(h, new IdSet(db.dialect(), "ids", List.of(id)))).as(id).isEqualTo(1);
                }
                assertThat(count(h, new IdSet(db.dialect(), "ids", odd))).isEqualTo(odd.size());
                assertThat(count(h, new IdSet(db.dialect(), "ids", List.of("A\"B", "it''s", "id-1 ")))).isZero();
                // The empty set matches nothing and binds nothing.
                IdSet none = new IdSet(db.dialect(), "ids", List.of());
                assertThat(none.matches("id")).isEqualTo("1 = 0");
                assertThat(count(h, none)).isZero();
            });
        }
    }

    private static long count(Handle h, IdSet set) {
        return set.bind(h.createQuery("SELECT COUNT(*) FROM id_set_probe WHERE " + set.matches("id"))).mapTo(Long.class).one();
    }
}
