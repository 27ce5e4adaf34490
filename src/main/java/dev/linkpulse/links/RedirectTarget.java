package dev.linkpulse.links;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * What a redirect needs of a link, packed into one byte array so that a million cached links fit
 * in about a hundred megabytes (a {@link ShortUrl} with its five strings takes four times that).
 * The workspace id is shared between the links of a workspace; the destination is decoded per
 * redirect, which costs one short string instead of keeping it.
 *
 * <p>Layout: flags, code length, code (ASCII), expiry (if any), id (16 bytes when it is a UUID in
 * canonical form, else a length-prefixed UTF-8 string), destination (UTF-8, the rest).
 */
final class RedirectTarget {

    private static final int TRACKING = 1;
    private static final int DYNAMIC = 2;
    private static final int FORWARD_QUERY = 4;
    private static final int EXPIRES = 8;
    private static final int UUID_ID = 16;
    private static final int SMART = 32;

    private static final int MAX_CODE_LENGTH = 127;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private final byte[] packed;
    private final String workspaceId;

    private RedirectTarget(byte[] packed, String workspaceId) {
        this.packed = packed;
        this.workspaceId = workspaceId;
    }

    /** True when {@code code} can be a key of the compact form: ASCII, at most 127 characters. */
    static boolean fits(String code) {
        if (code.length() > MAX_CODE_LENGTH) {
            return false;
        }
        for (int i = 0; i < code.length(); i++) {
            if (code.charAt(i) > 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Packs {@code link} under {@code code}, which must {@link #fits fit}; {@code workspaceId} is the
     * shared instance to keep instead of the link's own copy.
     */
    static RedirectTarget of(String code, ShortUrl link, String workspaceId) {
        byte[] destination = link.originalUrl().getBytes(StandardCharsets.UTF_8);
        UUID uuid = canonicalUuid(link.id());
        byte[] otherId = uuid == null ? link.id().getBytes(StandardCharsets.UTF_8) : null;
        int flags = (link.trackingEnabled() ? TRACKING : 0) | (link.dynamic() ? DYNAMIC : 0)
                | (link.forwardQuery() ? FORWARD_QUERY : 0) | (link.expiresAt() != null ? EXPIRES : 0)
                | (uuid != null ? UUID_ID : 0) | (link.smart() ? SMART : 0);
        int size = 2 + code.length() + (link.expiresAt() != null ? 8 : 0) + (uuid != null ? 16 : 4 + otherId.length)
                + destination.length;
        byte[] packed = new byte[size];
        packed[0] = (byte) flags;
        packed[1] = (byte) code.length();
        int at = 2;
        for (int i = 0; i < code.length(); i++) {
            packed[at++] = (byte) code.charAt(i);
        }
        if (link.expiresAt() != null) {
            LONG.set(packed, at, link.expiresAt().longValue());
            at += 8;
        }
        if (uuid != null) {
            LONG.set(packed, at, uuid.getMostSignificantBits());
            LONG.set(packed, at + 8, uuid.getLeastSignificantBits());
            at += 16;
        } else {
            INT.set(packed, at, otherId.length);
            System.arraycopy(otherId, 0, packed, at + 4, otherId.length);
            at += 4 + otherId.length;
        }
        System.arraycopy(destination, 0, packed, at, destination.length);
        return new RedirectTarget(packed, workspaceId);
    }

    boolean hasCode(String code) {
        int length = packed[1];
        if (length != code.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (packed[2 + i] != code.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    String code() {
        return new String(packed, 2, packed[1], StandardCharsets.US_ASCII);
    }

    String workspaceId() {
        return workspaceId;
    }

    boolean trackingEnabled() {
        return (packed[0] & TRACKING) != 0;
    }

    boolean dynamic() {
        return (packed[0] & DYNAMIC) != 0;
    }

    boolean forwardQuery() {
        return (packed[0] & FORWARD_QUERY) != 0;
    }

    /** Has targeting rules or a click limit (issue 17): answered by smartlinks, not the plain path. */
    boolean smart() {
        return (packed[0] & SMART) != 0;
    }

    boolean isExpiredAt(long nowMillis) {
        return (packed[0] & EXPIRES) != 0 && (long) LONG.get(packed, idStart() - 8) <= nowMillis;
    }

    String id() {
        int at = idStart();
        if ((packed[0] & UUID_ID) != 0) {
            return new UUID((long) LONG.get(packed, at), (long) LONG.get(packed, at + 8)).toString();
        }
        return new String(packed, at + 4, (int) INT.get(packed, at), StandardCharsets.UTF_8);
    }

    String destination() {
        int at = destinationStart();
        return new String(packed, at, packed.length - at, StandardCharsets.UTF_8);
    }

    private int idStart() {
        return 2 + packed[1] + ((packed[0] & EXPIRES) != 0 ? 8 : 0);
    }

    private int destinationStart() {
        int at = idStart();
        if ((packed[0] & UUID_ID) != 0) {
            return at + 16;
        }
        return at + 4 + (int) INT.get(packed, at);
    }

    /** The id as a UUID when it is one in the form {@link UUID#toString} gives back, else null. */
    private static UUID canonicalUuid(String id) {
        if (id.length() != 36) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(id);
            return uuid.toString().equals(id) ? uuid : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
