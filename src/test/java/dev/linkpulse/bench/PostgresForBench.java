package dev.linkpulse.bench;

import dev.linkpulse.support.Postgres;

/**
 * Runs the tests' embedded PostgreSQL for a bench script: prints {@code URL <jdbc url>} for a new,
 * empty database, then keeps the server up until its standard input closes (the script ends) or
 * the process is stopped; the server's data is removed either way.
 */
public final class PostgresForBench {

    public static void main(String[] args) throws Exception {
        Postgres pg = Postgres.startNew();
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close));
        System.out.println("URL " + pg.newDatabase());
        System.out.flush();
        while (System.in.read() >= 0) {
            // waits for the end of input
        }
    }
}
