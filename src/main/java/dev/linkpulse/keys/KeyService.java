package dev.linkpulse.keys;

import dev.linkpulse.common.RandomCodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/** Creates and checks API keys. Keys are random, shown once, and stored only as SHA-256 hashes. */
public final class KeyService {

    /** "lp_" and 43 base62 characters: 256 bits of entropy. */
    private static final int SECRET_LENGTH = 43;
    private static final String DEFAULT_WORKSPACE = "default";

    private final KeyStore store;
    private final Clock clock;

    public KeyService(Jdbi jdbi, Clock clock) {
        this.store = new KeyStore(jdbi);
        this.clock = clock;
    }

    /** A new key and the secret that is shown once. */
    public record CreatedKey(ApiKey key, String secret) {
        /** The key without its secret: a record's toString would print it wherever the record is logged. */
        @Override
        public String toString() {
            return "CreatedKey[key=" + key + ", secret=***]";
        }
    }

    /**
     * Creates a key. {@code workspace} names an existing workspace by id or name, or a new one to
     * create; empty means the default workspace.
     */
    public CreatedKey create(String name, Set<Permission> permissions, Optional<String> workspace, Optional<String> secret) {
        Workspace ws = workspace.map(this::findOrCreateWorkspace).orElseGet(this::defaultWorkspace);
        return create(ws.id(), name, permissions, Optional.empty(), secret);
    }

    /** Creates a key in a known workspace, optionally expiring. */
    public CreatedKey create(String workspaceId, String name, Set<Permission> permissions, Optional<Long> expiresAt,
            Optional<String> secret) {
        String value = secret.orElseGet(() -> "lp_" + RandomCodes.base62(SECRET_LENGTH));
        String id = UUID.randomUUID().toString();
        ApiKey key = new ApiKey(id, workspaceId, name, displayPrefix(id), permissions, clock.millis(), expiresAt.orElse(null), null);
        store.insert(key, hash(value));
        return new CreatedKey(key, value);
    }

    /**
     * On an empty store, creates the first admin key: with {@code initialSecret} when given, else a
     * random one. Returns the key when one was created.
     */
    public Optional<CreatedKey> ensureFirstKey(Optional<String> initialSecret) {
        if (store.anyKeyExists()) {
            return Optional.empty();
        }
        return Optional.of(create("admin", EnumSet.allOf(Permission.class), Optional.empty(), initialSecret));
    }

    /** The workspace's keys, newest last; never their secrets (only hashes are stored). */
    public List<ApiKey> list(String workspaceId) {
        return store.listByWorkspace(workspaceId);
    }

    /** Revokes the workspace's key; it fails from the very next request on. Empty when no such key. */
    public Optional<ApiKey> revoke(String workspaceId, String keyId) {
        Optional<ApiKey> key = store.findById(workspaceId, keyId);
        key.ifPresent(k -> store.revoke(k.id(), clock.millis()));
        return key.flatMap(k -> store.findById(workspaceId, k.id()));
    }

    /** The usable key with this secret, or empty when it is unknown, revoked or expired. */
    public Optional<ApiKey> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 512) {
            return Optional.empty();
        }
        // Lookup by hash: the secret never reaches the database, and timing reveals nothing about it.
        return store.findByHash(hash(secret)).filter(k -> k.isUsableAt(clock.millis()));
    }

    /** The id of the named workspace (created when new), or of the default one. */
    public String workspaceId(Optional<String> workspace) {
        return workspace.map(this::findOrCreateWorkspace).orElseGet(this::defaultWorkspace).id();
    }

    private Workspace defaultWorkspace() {
        return store.oldestWorkspace().orElseGet(() -> findOrCreateWorkspace(DEFAULT_WORKSPACE));
    }

    private Workspace findOrCreateWorkspace(String idOrName) {
        return store.findWorkspace(idOrName).orElseGet(() -> {
            Workspace ws = new Workspace(UUID.randomUUID().toString(), idOrName, clock.millis());
            store.insertWorkspace(ws);
            return ws;
        });
    }

    /**
     * What {@code key_prefix} shows to tell keys apart: the first 8 characters of the key's id, so
     * no character of the secret is stored or listed (the first 8 of the secret used to be, 5 of
     * them random). Migration V3_1 rewrote older rows the same way: {@code substr(id, 1, 8)}.
     */
    static String displayPrefix(String keyId) {
        return keyId.substring(0, 8);
    }

    static String hash(String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
