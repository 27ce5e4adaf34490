package dev.linkpulse.qr;

import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.qrcode.encoder.ByteMatrix;
import com.google.zxing.qrcode.encoder.Encoder;
import com.google.zxing.qrcode.encoder.QRCode;
import dev.linkpulse.http.ApiException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a QR code as PNG or SVG. ZXing encodes the text to a module matrix; the drawing is ours,
 * so both formats have the same geometry: whole pixels per module in the PNG (crisp edges scan
 * best), the code centred, one {@code <path>} for every dark module in the SVG.
 */
public final class QrRenderer {

    public enum Format {
        PNG("image/png"), SVG("image/svg+xml");

        public final String mediaType;

        Format(String mediaType) {
            this.mediaType = mediaType;
        }
    }

    /** Side of the logo's box as a share of the code's side: 0.4² = 16 % of the area (the limit is 20 %). */
    static final double LOGO_SIDE = 0.4;

    private QrRenderer() {}

    public static byte[] render(String content, QrStyle style, Format format) {
        ByteMatrix modules = encode(content, style);
        return format == Format.PNG ? png(modules, style) : svg(modules, style);
    }

    /** A short URL's image in the default style, as a data URL (a link create that asks for its QR code, issue 19). */
    public static String dataUrl(String shortUrl, String format) {
        Format f = format.equals("svg") ? Format.SVG : Format.PNG;
        return "data:" + f.mediaType + ";base64," + java.util.Base64.getEncoder().encodeToString(render(shortUrl, QrStyle.DEFAULT, f));
    }

    static ByteMatrix encode(String content, QrStyle style) {
        Map<EncodeHintType, Object> hints = new EnumMap<>(EncodeHintType.class);
        // ASCII needs no charset marker: an ECI segment only costs modules and confuses old scanners.
        if (!StandardCharsets.US_ASCII.newEncoder().canEncode(content)) {
            hints.put(EncodeHintType.CHARACTER_SET, StandardCharsets.UTF_8.name());
        }
        QRCode code;
        try {
            code = Encoder.encode(content, style.level(), hints);
        } catch (WriterException e) {
            throw ApiException.validation("content_data", "content is too long for a QR code at level " + style.level());
        }
        int side = code.getMatrix().getWidth() + 2 * style.margin();
        if (side > style.size()) {
            throw ApiException.validation("size", "size must be at least " + side + " pixels for this content and margin",
                    Map.of("min", side));
        }
        return code.getMatrix();
    }

    /** Pixel geometry: whole pixels per module, the code centred in the requested square. */
    record Layout(int modules, int scale, int offset) {
        static Layout of(ByteMatrix m, QrStyle style) {
            int side = m.getWidth() + 2 * style.margin();
            int scale = style.size() / side;
            int offset = (style.size() - m.getWidth() * scale) / 2;
            return new Layout(m.getWidth(), scale, offset);
        }

        /** The logo's box in modules: odd-sized, centred, at most LOGO_SIDE of the code's side. */
        int logoModules() {
            int box = (int) Math.floor(modules * LOGO_SIDE);
            return box % 2 == modules % 2 ? box : box - 1;
        }
    }

    static byte[] png(ByteMatrix m, QrStyle style) {
        Layout layout = Layout.of(m, style);
        int size = style.size();
        BufferedImage image;
        if (style.logo().isEmpty()) {
            // Two colours: a 1-bit palette image encodes several times faster and smaller than RGB.
            IndexColorModel palette = new IndexColorModel(1, 2,
                    new byte[] {(byte) (style.background() >> 16), (byte) (style.foreground() >> 16)},
                    new byte[] {(byte) (style.background() >> 8), (byte) (style.foreground() >> 8)},
                    new byte[] {(byte) style.background(), (byte) style.foreground()});
            image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_BINARY, palette);
        } else {
            image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        }
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new java.awt.Color(style.background()));
            g.fillRect(0, 0, size, size);
            g.setColor(new java.awt.Color(style.foreground()));
            int n = layout.modules();
            int s = layout.scale();
            for (int y = 0; y < n; y++) {
                int x = 0;
                while (x < n) {
                    if (m.get(x, y) != 1) {
                        x++;
                        continue;
                    }
                    int start = x;
                    while (x < n && m.get(x, y) == 1) {
                        x++;
                    }
                    g.fillRect(layout.offset() + start * s, layout.offset() + y * s, (x - start) * s, s);
                }
            }
            style.logo().ifPresent(logo -> {
                int box = layout.logoModules();
                int at = layout.offset() + (n - box) / 2 * s;
                int px = box * s;
                g.setColor(new java.awt.Color(style.background()));
                g.fillRect(at, at, px, px);
                // The logo keeps its proportions inside the box, with one module of padding.
                int inner = px - 2 * s;
                BufferedImage li = logo.image();
                double k = Math.min((double) inner / li.getWidth(), (double) inner / li.getHeight());
                int w = Math.max(1, (int) Math.round(li.getWidth() * k));
                int h = Math.max(1, (int) Math.round(li.getHeight() * k));
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.drawImage(li, at + (px - w) / 2, at + (px - h) / 2, w, h, null);
            });
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] svg(ByteMatrix m, QrStyle style) {
        int n = m.getWidth();
        int side = n + 2 * style.margin();
        int q = style.margin();
        StringBuilder path = new StringBuilder(n * n);
        for (int y = 0; y < n; y++) {
            int x = 0;
            while (x < n) {
                if (m.get(x, y) != 1) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < n && m.get(x, y) == 1) {
                    x++;
                }
                path.append('M').append(start + q).append(' ').append(y + q).append('h').append(x - start).append("v1h-")
                        .append(x - start).append('z');
            }
        }
        StringBuilder svg = new StringBuilder(path.length() + 512);
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
                .append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(style.size()).append("\" height=\"")
                .append(style.size()).append("\" viewBox=\"0 0 ").append(side).append(' ').append(side)
                .append("\" shape-rendering=\"crispEdges\">")
                .append("<rect width=\"").append(side).append("\" height=\"").append(side).append("\" fill=\"")
                .append(QrStyle.formatColour(style.background())).append("\"/>")
                .append("<path fill=\"").append(QrStyle.formatColour(style.foreground())).append("\" d=\"").append(path).append("\"/>");
        style.logo().ifPresent(logo -> {
            Layout layout = new Layout(n, 1, 0);
            int box = layout.logoModules();
            int at = q + (n - box) / 2;
            svg.append("<rect x=\"").append(at).append("\" y=\"").append(at).append("\" width=\"").append(box)
                    .append("\" height=\"").append(box).append("\" fill=\"").append(QrStyle.formatColour(style.background()))
                    .append("\"/>")
                    .append("<image x=\"").append(at + 1).append("\" y=\"").append(at + 1).append("\" width=\"").append(box - 2)
                    .append("\" height=\"").append(box - 2).append("\" preserveAspectRatio=\"xMidYMid meet\" href=\"")
                    .append(logo.dataUrl()).append("\"/>");
        });
        svg.append("</svg>\n");
        return svg.toString().getBytes(StandardCharsets.UTF_8);
    }
}
