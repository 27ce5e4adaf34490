package dev.linkpulse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * A set of ids bound as ONE parameter, so that a condition on it works for any number of ids. A
 * campaign or a tag may hold more links than a statement may have parameters (SQLite allows 32,766,
 * PostgreSQL's protocol 65,535), which one parameter per id ran into (issue 16).
 *
 * <p>PostgreSQL takes a text array, unnested: {@code column IN (SELECT unnest(CAST(:p AS text[])))};
 * SQLite a JSON array read by {@code json_each}: {@code column IN (SELECT value FROM json_each(:p))}.
 * A small set still seeks the column's index once per id, as {@code IN (:p0, :p1, ...)} did. On
 * PostgreSQL not {@code column = ANY(:p)}: its planner estimates that condition element by element,
 * about 100 ms for a set of 65,000 on every statement, where the unnested set plans in under 1 ms
 * (a hash join for a large set, a nested loop over the index for a small one). The empty set
 * matches nothing ({@code 1 = 0}) and binds nothing.
 */
public record IdSet(Dialect dialect, String parameter, List<String> ids) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public IdSet {
        ids = List.copyOf(ids);
    }

    /** The condition "{@code column} is one of the ids". */
    public String matches(String column) {
        if (ids.isEmpty()) {
            return "1 = 0";
        }
        return dialect == Dialect.POSTGRESQL
                ? column + " IN (SELECT unnest(CAST(:" + parameter + " AS text[])))"
                : column + " IN (SELECT value FROM json_each(:" + parameter + "))";
    }

    /** Binds the set to a statement whose SQL holds {@link #matches}. */
    public <S extends SqlStatement<S>> S bind(S statement) {
        if (ids.isEmpty()) {
            return statement;
        }
        if (dialect == Dialect.POSTGRESQL) {
            return statement.bindArray(parameter, String.class, ids);
        }
        try {
            return statement.bind(parameter, JSON.writeValueAsString(ids));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a list of strings is always JSON", e);
        }
    }
}
