package dev.linkpulse.qr;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/** Test helpers: decode a PNG or an SVG (rasterised here with java2d) back to its text with ZXing's reader. */
public final class QrImages {

    private QrImages() {}

    public static String decodePng(byte[] png) {
        try {
            return decode(ImageIO.read(new ByteArrayInputStream(png))).getText();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static String decodeSvg(byte[] svg) {
        return decode(rasterise(new String(svg, StandardCharsets.UTF_8))).getText();
    }

    /**
     * Reads the code as a scanner would (finding the finder patterns) and, when that heuristic misses,
     * as the exact image it is: ZXing's detector skips about 0.4 % of its own writer's perfectly
     * aligned images (19 of 5,000 short URLs at 200 px), which made this helper fail at random.
     * Either way the whole text must decode through the code's error correction.
     */
    public static Result decode(BufferedImage image) {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image)));
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE, DecodeHintType.CHARACTER_SET, "UTF-8"));
        } catch (Exception detectorMissed) {
            try {
                return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE, DecodeHintType.CHARACTER_SET, "UTF-8"));
            } catch (Exception e) {
                throw new AssertionError("the image does not decode as a QR code: " + detectorMissed + ", " + e, e);
            }
        }
    }

    private static final Pattern SIZE = Pattern.compile("<svg [^>]*width=\"(\\d+)\" height=\"(\\d+)\" viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern RECT = Pattern.compile("<rect (?:x=\"(\\d+)\" y=\"(\\d+)\" )?width=\"(\\d+)\" height=\"(\\d+)\" fill=\"#([0-9a-f]{6})\"/>");
    private static final Pattern PATH = Pattern.compile("<path fill=\"#([0-9a-f]{6})\" d=\"([^\"]*)\"/>");
    private static final Pattern STEP = Pattern.compile("M(\\d+) (\\d+)h(\\d+)v1h-(\\d+)z");
    private static final Pattern IMAGE = Pattern.compile("<image x=\"(\\d+)\" y=\"(\\d+)\" width=\"(\\d+)\" height=\"(\\d+)\"[^>]*href=\"data:image/png;base64,([^\"]+)\"/>");

    /** Draws our SVG subset (rects, one path of M/h/v/z runs, an embedded PNG image) at its pixel size. */
    public static BufferedImage rasterise(String svg) {
        Matcher size = SIZE.matcher(svg);
        if (!size.find()) {
            throw new AssertionError("no svg size in " + svg.substring(0, Math.min(200, svg.length())));
        }
        int px = Integer.parseInt(size.group(1));
        double scale = px / Double.parseDouble(size.group(3));
        BufferedImage image = new BufferedImage(px, px, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setTransform(AffineTransform.getScaleInstance(scale, scale));
        Matcher rect = RECT.matcher(svg);
        Matcher path = PATH.matcher(svg);
        if (!path.find()) {
            throw new AssertionError("no path in the svg");
        }
        boolean first = true;
        int pathAt = path.start();
        while (rect.find()) {
            if (rect.start() > pathAt && first) {
                drawPath(g, path);
                first = false;
            }
            g.setColor(new Color(Integer.parseInt(rect.group(5), 16)));
            double x = rect.group(1) == null ? 0 : Double.parseDouble(rect.group(1));
            double y = rect.group(2) == null ? 0 : Double.parseDouble(rect.group(2));
            g.fill(new Rectangle2D.Double(x, y, Double.parseDouble(rect.group(3)), Double.parseDouble(rect.group(4))));
        }
        if (first) {
            drawPath(g, path);
        }
        Matcher img = IMAGE.matcher(svg);
        if (img.find()) {
            try {
                BufferedImage logo = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(img.group(5))));
                int x = Integer.parseInt(img.group(1));
                int y = Integer.parseInt(img.group(2));
                int w = Integer.parseInt(img.group(3));
                int h = Integer.parseInt(img.group(4));
                g.drawImage(logo, x, y, w, h, null);
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
        g.dispose();
        return image;
    }

    private static void drawPath(Graphics2D g, Matcher path) {
        g.setColor(new Color(Integer.parseInt(path.group(1), 16)));
        String d = path.group(2);
        Matcher step = STEP.matcher(d);
        int end = 0;
        while (step.find()) {
            if (step.start() != end) {
                throw new AssertionError("unexpected path data at " + end);
            }
            end = step.end();
            g.fill(new Rectangle2D.Double(Integer.parseInt(step.group(1)), Integer.parseInt(step.group(2)),
                    Integer.parseInt(step.group(3)), 1));
        }
        if (end != d.length()) {
            throw new AssertionError("unexpected path data at " + end);
        }
    }
}
