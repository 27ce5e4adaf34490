package dev.linkpulse.links;

/**
 * The QR image a link create answers with when its body asks ({@code qr_code: true}, jmpy.me's
 * {@code qrCode}): the QR package draws it. One default-size image per create, and creates are
 * rate-limited: it is not put behind the image gate, whose 503 would come after the link was made.
 */
public interface LinkQrImages {

    /** The image of {@code shortUrl} in {@code format} (png or svg), as a data URL. */
    String dataUrl(String shortUrl, String format);
}
