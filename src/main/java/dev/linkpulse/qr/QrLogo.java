package dev.linkpulse.qr;

import dev.linkpulse.http.ApiException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A logo for the middle of a code: PNG, JPEG or GIF bytes from an upload or a {@code data:} URL.
 * Never a URL to fetch: the server fetching what a caller names would be SSRF. The dimensions are
 * read from the header before any pixel is decoded, so a small file cannot expand to gigabytes.
 */
public final class QrLogo {

    public static final int MAX_BYTES = 256 * 1024;
    public static final int MAX_SIDE = 1024;

    private final BufferedImage image;
    private final byte[] png;

    private QrLogo(BufferedImage image, byte[] png) {
        this.image = image;
        this.png = png;
    }

    public BufferedImage image() {
        return image;
    }

    /** The logo re-encoded as PNG (what an SVG embeds, and what is stored). */
    public byte[] png() {
        return png.clone();
    }

    public String dataUrl() {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** From a {@code data:image/...;base64,} URL; any other URL is refused (never fetched). */
    public static QrLogo fromDataUrl(String field, String value) {
        if (!value.regionMatches(true, 0, "data:", 0, 5)) {
            throw ApiException.validation(field, field + " must be a data: URL (data:image/png;base64,...); "
                    + "the server does not fetch URLs — upload the logo instead");
        }
        int comma = value.indexOf(',');
        String meta = comma < 0 ? "" : value.substring(5, comma).toLowerCase(java.util.Locale.ROOT);
        if (comma < 0 || !meta.startsWith("image/") || !meta.endsWith(";base64")) {
            throw ApiException.validation(field, field + " must be a base64 data: URL of an image");
        }
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(value.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(field, field + " is not valid base64");
        }
        return fromBytes(field, bytes);
    }

    public static QrLogo fromBytes(String field, byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.validation(field, field + " is empty");
        }
        if (bytes.length > MAX_BYTES) {
            throw ApiException.validation(field, field + " must be at most " + MAX_BYTES + " bytes", Map.of("max_bytes", MAX_BYTES));
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw ApiException.validation(field, field + " must be a PNG, JPEG or GIF image");
            }
            ImageReader reader = readers.next();
            try {
                String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
                if (!format.equals("png") && !format.equals("jpeg") && !format.equals("gif")) {
                    throw ApiException.validation(field, field + " must be a PNG, JPEG or GIF image");
                }
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w < 1 || h < 1 || w > MAX_SIDE || h > MAX_SIDE) {
                    throw ApiException.validation(field, field + " must be at most " + MAX_SIDE + "x" + MAX_SIDE + " pixels");
                }
                BufferedImage image = reader.read(0);
                ByteArrayOutputStream png = new ByteArrayOutputStream();
                ImageIO.write(image, "png", png);
                return new QrLogo(image, png.toByteArray());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException api) {
                throw api;
            }
            throw ApiException.validation(field, field + " could not be read as an image");
        }
    }
}
