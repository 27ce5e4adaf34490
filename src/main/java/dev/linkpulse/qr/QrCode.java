package dev.linkpulse.qr;

/** A stored QR code (one row of {@code qr_codes}). */
public record QrCode(
        String id,
        String workspaceId,
        String name,
        String contentType,
        String contentData,
        String content,
        int foreground,
        int background,
        int size,
        int margin,
        String errorLevel,
        String logo,
        boolean dynamic,
        boolean trackingEnabled,
        String shortUrlId,
        String source,
        Long expiresAt,
        long createdAt,
        long updatedAt) {}
