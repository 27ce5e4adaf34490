package dev.linkpulse.qr;

import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.linkpulse.http.ApiException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a code looks: colours (RGB), size in pixels (64–2048), margin in modules (0–16), error
 * correction level, and an optional logo (already decoded and checked by {@link QrLogo}). A logo
 * forces level H: it hides modules that only the strongest correction can restore.
 */
public record QrStyle(int foreground, int background, int size, int margin, ErrorCorrectionLevel level, Optional<QrLogo> logo) {

    public static final int MIN_SIZE = 64;
    public static final int MAX_SIZE = 2048;
    public static final int MAX_MARGIN = 16;
    public static final QrStyle DEFAULT = new QrStyle(0x000000, 0xFFFFFF, 300, 4, ErrorCorrectionLevel.M, Optional.empty());

    public QrStyle {
        if (logo.isPresent()) {
            level = ErrorCorrectionLevel.H;
        }
    }

    public QrStyle withSize(int newSize) {
        return new QrStyle(foreground, background, newSize, margin, level, logo);
    }

    /** "#RRGGBB" or "#RGB" (the '#' optional), or a 400 naming {@code field}. */
    public static int parseColour(String field, String value) {
        String hex = value.startsWith("#") ? value.substring(1) : value;
        if (hex.matches("[0-9A-Fa-f]{3}")) {
            hex = "" + hex.charAt(0) + hex.charAt(0) + hex.charAt(1) + hex.charAt(1) + hex.charAt(2) + hex.charAt(2);
        }
        if (!hex.matches("[0-9A-Fa-f]{6}")) {
            throw ApiException.validation(field, field + " must be a colour like #1a2b3c");
        }
        return Integer.parseInt(hex, 16);
    }

    public static String formatColour(int rgb) {
        return String.format(Locale.ROOT, "#%06x", rgb & 0xFFFFFF);
    }

    public static int checkSize(String field, long size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw ApiException.validation(field, field + " must be between " + MIN_SIZE + " and " + MAX_SIZE + " pixels",
                    Map.of("min", MIN_SIZE, "max", MAX_SIZE));
        }
        return (int) size;
    }

    public static int checkMargin(String field, long margin) {
        if (margin < 0 || margin > MAX_MARGIN) {
            throw ApiException.validation(field, field + " must be between 0 and " + MAX_MARGIN + " modules",
                    Map.of("min", 0, "max", MAX_MARGIN));
        }
        return (int) margin;
    }

    public static ErrorCorrectionLevel parseLevel(String field, String value) {
        return switch (value.toUpperCase(Locale.ROOT)) {
            case "L" -> ErrorCorrectionLevel.L;
            case "M" -> ErrorCorrectionLevel.M;
            case "Q" -> ErrorCorrectionLevel.Q;
            case "H" -> ErrorCorrectionLevel.H;
            default -> throw ApiException.validation(field, field + " must be L, M, Q or H");
        };
    }

    /**
     * Scanners threshold on brightness: a dark-on-light code with enough contrast (WCAG ratio ≥ 3)
     * scans; a light-on-dark or faint one often does not, so it is refused rather than printed.
     */
    public static void checkContrast(String field, int foreground, int background) {
        double fg = luminance(foreground);
        double bg = luminance(background);
        if (fg >= bg || (bg + 0.05) / (fg + 0.05) < 3.0) {
            throw ApiException.validation(field, field + " must be clearly darker than backgroundColor (contrast ratio at least 3)");
        }
    }

    private static double luminance(int rgb) {
        return 0.2126 * channel(rgb >> 16) + 0.7152 * channel(rgb >> 8) + 0.0722 * channel(rgb);
    }

    private static double channel(int v) {
        double c = (v & 0xFF) / 255.0;
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
