package dev.linkpulse;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;

/**
 * Loads, on the second core, the classes start-up needs later while the main thread opens the
 * store: most of the time to the first redirect is class loading, done one class at a time on the
 * main thread otherwise. Only loads and initializes; any failure is left for the real use to report.
 */
final class ClassWarmup {

    /** In the order start-up needs them: the migrations right after the pool, the HTTP layer last. */
    private static final String[] CLASSES = {
        "org.flywaydb.core.Flyway",
        "org.flywaydb.core.api.configuration.ClassicConfiguration",
        "org.flywaydb.core.internal.database.sqlite.SQLiteDatabaseType",
        "org.flywaydb.core.internal.command.DbValidate",
        "org.flywaydb.core.internal.command.DbMigrate",
        "com.maxmind.geoip2.DatabaseReader",
        "io.javalin.Javalin",
        "io.javalin.config.JavalinConfig",
        "org.eclipse.jetty.server.Server",
        "org.eclipse.jetty.server.ServerConnector",
        "org.eclipse.jetty.server.HttpConfiguration",
        "org.eclipse.jetty.server.internal.HttpConnection",
        "org.eclipse.jetty.http.HttpParser",
        "org.eclipse.jetty.ee10.servlet.ServletContextHandler",
        "com.fasterxml.jackson.databind.ObjectMapper",
        "com.fasterxml.jackson.databind.json.JsonMapper",
        "com.github.benmanes.caffeine.cache.Caffeine",
    };

    private ClassWarmup() {}

    static void start() {
        Thread.ofPlatform().name("class-warmup").daemon().start(() -> {
            ClassLoader loader = ClassWarmup.class.getClassLoader();
            for (String name : CLASSES) {
                try {
                    Class.forName(name, true, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // a renamed class only costs start-up time
                }
            }
            try {
                new SecureRandom().nextBytes(new byte[16]);
                KeyGenerator.getInstance("AES").init(256);
                Cipher.getInstance("AES/GCM/NoPadding");
                MessageDigest.getInstance("SHA-256");
            } catch (GeneralSecurityException e) {
                // reported where it is used
            }
        });
    }
}
