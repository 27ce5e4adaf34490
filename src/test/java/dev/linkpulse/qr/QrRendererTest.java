package dev.linkpulse.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import dev.linkpulse.http.ApiException;
import dev.linkpulse.http.Json;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every image is decoded back with ZXing's reader (SVG rasterised first) to exactly the text expected. */
class QrRendererTest {

    static Stream<Arguments> contents() {
        return Stream.of(
                Arguments.of("url", "{\"url\":\"https://example.com/a?b=c\"}", "https://example.com/a?b=c"),
                Arguments.of("text", "{\"text\":\"Grüße, 世界 — line\\nbreak\"}", "Grüße, 世界 — line\nbreak"),
                Arguments.of("wifi", "{\"ssid\":\"Café;Net\",\"password\":\"p\\\\a:s,s\\\"w\",\"encryption\":\"WPA\"}",
                        "WIFI:T:WPA;S:Café\\;Net;P:p\\\\a\\:s\\,s\\\"w;;"),
                Arguments.of("wifi", "{\"ssid\":\"open\",\"encryption\":\"nopass\",\"hidden\":true}", "WIFI:T:nopass;S:open;H:true;;"),
                Arguments.of("vcard", "{\"firstName\":\"Ada\",\"last_name\":\"Lovelace\",\"organization\":\"Engines, Ltd\","
                        + "\"phone\":\"+44 20 1234 5678\",\"email\":\"ada@example.org\",\"website\":\"https://ada.example\","
                        + "\"note\":\"a;b\"}",
                        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\nORG:Engines\\, Ltd\r\n"
                                + "TEL:+442012345678\r\nEMAIL:ada@example.org\r\nURL:https://ada.example\r\nNOTE:a\\;b\r\nEND:VCARD"),
                Arguments.of("email", "{\"email\":\"someone@example.com\",\"subject\":\"Hi there & more\",\"body\":\"Line 1\"}",
                        "mailto:someone@example.com?subject=Hi%20there%20%26%20more&body=Line%201"),
                Arguments.of("phone", "{\"phone\":\"+1 (555) 010-2000\"}", "tel:+15550102000"),
                Arguments.of("sms", "{\"phone\":\"+15550102000\",\"message\":\"Hello: world\"}", "SMSTO:+15550102000:Hello: world"),
                Arguments.of("location", "{\"latitude\":48.8584,\"longitude\":\"2.2945\"}", "geo:48.8584,2.2945"));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("contents")
    void everyContentTypeEncodesItsStandardTextAndDecodesBackInBothFormats(String type, String data, String expected) throws Exception {
        QrContent.Parsed parsed = QrContent.parse(QrContent.Type.parse(type), Json.MAPPER.readTree(data));
        assertThat(parsed.encoded()).isEqualTo(expected);
        byte[] png = QrRenderer.render(parsed.encoded(), QrStyle.DEFAULT, QrRenderer.Format.PNG);
        assertThat(QrImages.decodePng(png)).isEqualTo(expected);
        byte[] svg = QrRenderer.render(parsed.encoded(), QrStyle.DEFAULT, QrRenderer.Format.SVG);
        assertThat(QrImages.decodeSvg(svg)).isEqualTo(expected);
        String text = new String(svg, StandardCharsets.UTF_8);
        assertThat(text.split("<path", -1)).as("one path").hasSize(2);
        assertThat(text.split("<rect", -1)).as("only the background rect").hasSize(2);
    }

    @ParameterizedTest
    @EnumSource(ErrorCorrectionLevel.class)
    void eachLevelIsTheLevelOfTheCode(ErrorCorrectionLevel level) {
        QrStyle style = new QrStyle(0, 0xFFFFFF, 400, 2, level, Optional.empty());
        String text = "https://lp.example/abc1234";
        var result = QrImages.decode(read(QrRenderer.render(text, style, QrRenderer.Format.PNG)));
        assertThat(result.getText()).isEqualTo(text);
        assertThat(result.getResultMetadata().get(com.google.zxing.ResultMetadataType.ERROR_CORRECTION_LEVEL)).isEqualTo(level.name());
        assertThat(QrImages.decodeSvg(QrRenderer.render(text, style, QrRenderer.Format.SVG))).isEqualTo(text);
    }

    @Test
    void asciiCarriesNoCharsetMarkerSoAShortUrlStaysSmall() {
        // 26 ASCII bytes fill version 2 at level M exactly; a UTF-8 ECI header would push it to version 3.
        String url = "https://lp.example/abc1234";
        QrStyle style = new QrStyle(0, 0xFFFFFF, 400, 4, ErrorCorrectionLevel.M, Optional.empty());
        assertThat(QrRenderer.encode(url, style).getWidth()).isEqualTo(25);
        assertThat(QrRenderer.encode("https://lp.example/abc123\u00e9", style).getWidth()).isGreaterThan(25);
    }

    @Test
    void coloursAreThoseAskedForAndTheCodeStillScans() {
        QrStyle style = new QrStyle(0x1a2b6c, 0xfff3d0, 512, 4, ErrorCorrectionLevel.Q, Optional.empty());
        String text = "colours";
        byte[] png = QrRenderer.render(text, style, QrRenderer.Format.PNG);
        BufferedImage image = read(png);
        assertThat(image.getWidth()).isEqualTo(512);
        assertThat(image.getHeight()).isEqualTo(512);
        assertThat(image.getRGB(0, 0) & 0xFFFFFF).isEqualTo(0xfff3d0);
        // The top-left finder pattern starts at the margin: its first module is dark.
        int n = QrRenderer.encode(text, style).getWidth();
        int scale = 512 / (n + 8);
        int offset = (512 - n * scale) / 2;
        assertThat(image.getRGB(offset + 1, offset + 1) & 0xFFFFFF).isEqualTo(0x1a2b6c);
        assertThat(QrImages.decodePng(png)).isEqualTo(text);
        String svg = new String(QrRenderer.render(text, style, QrRenderer.Format.SVG), StandardCharsets.UTF_8);
        assertThat(svg).contains("fill=\"#1a2b6c\"").contains("fill=\"#fff3d0\"");
        assertThat(QrImages.decodeSvg(svg.getBytes(StandardCharsets.UTF_8))).isEqualTo(text);
    }

    @ParameterizedTest
    @EnumSource(QrRenderer.Format.class)
    void aLogoForcesLevelHCoversAtMostAFifthAndTheCodeStillScans(QrRenderer.Format format) {
        QrLogo logo = QrLogo.fromDataUrl("logoUrl", "data:image/png;base64," + Base64.getEncoder().encodeToString(redSquare()));
        QrStyle style = new QrStyle(0, 0xFFFFFF, 600, 4, ErrorCorrectionLevel.L, Optional.of(logo));
        assertThat(style.level()).isEqualTo(ErrorCorrectionLevel.H);
        String text = "https://lp.example/logo123";
        byte[] out = QrRenderer.render(text, style, format);
        BufferedImage image = format == QrRenderer.Format.PNG ? read(out) : QrImages.rasterise(new String(out, StandardCharsets.UTF_8));
        var result = QrImages.decode(image);
        assertThat(result.getText()).isEqualTo(text);
        assertThat(result.getResultMetadata().get(com.google.zxing.ResultMetadataType.ERROR_CORRECTION_LEVEL)).isEqualTo("H");
        // The logo is there (red pixels in the middle) and its box covers at most 20 % of the code.
        assertThat(image.getRGB(300, 300) & 0xFFFFFF).isEqualTo(0xFF0000);
        int n = QrRenderer.encode(text, style).getWidth();
        int box = new QrRenderer.Layout(n, 1, 0).logoModules();
        assertThat((double) box * box / (n * n)).isLessThanOrEqualTo(0.20).isGreaterThan(0.05);
    }

    @Test
    void sizesAreBoundedAndSmallOnesStillScan() {
        String text = "https://lp.example/x";
        QrStyle small = new QrStyle(0, 0xFFFFFF, 64, 1, ErrorCorrectionLevel.L, Optional.empty());
        assertThat(read(QrRenderer.render(text, small, QrRenderer.Format.PNG)).getWidth()).isEqualTo(64);
        assertThat(QrImages.decodePng(QrRenderer.render(text, small, QrRenderer.Format.PNG))).isEqualTo(text);
        assertThat(QrImages.decodePng(QrRenderer.render(text, small.withSize(2048), QrRenderer.Format.PNG))).isEqualTo(text);
        assertField(() -> QrStyle.checkSize("size", 63), "size");
        assertField(() -> QrStyle.checkSize("size", 2049), "size");
        assertField(() -> QrRenderer.render("x".repeat(1000), small, QrRenderer.Format.PNG), "size");
    }

    @Test
    void badInputNamesTheField() {
        assertField(() -> QrStyle.parseColour("foregroundColor", "red"), "foregroundColor");
        assertField(() -> QrStyle.parseColour("backgroundColor", "#12345"), "backgroundColor");
        assertThat(QrStyle.parseColour("x", "#abc")).isEqualTo(0xaabbcc);
        assertField(() -> { QrStyle.checkContrast("foregroundColor", 0xFFFFFF, 0x000000); return null; }, "foregroundColor");
        assertField(() -> { QrStyle.checkContrast("foregroundColor", 0xEEEEEE, 0xFFFFFF); return null; }, "foregroundColor");
        assertField(() -> QrStyle.parseLevel("errorCorrectionLevel", "X"), "errorCorrectionLevel");
        assertField(() -> QrStyle.checkMargin("margin", -1), "margin");
        assertField(() -> QrContent.Type.parse("fax"), "content_type");
        assertField(() -> parse("url", "{\"url\":\"javascript:alert(1)\"}"), "content_data.url");
        assertField(() -> parse("url", "{\"link\":\"https://a.example\"}"), "content_data.link");
        assertField(() -> parse("text", "{\"text\":\"\"}"), "content_data.text");
        assertField(() -> parse("text", "{\"text\":7}"), "content_data.text");
        assertField(() -> parse("wifi", "{\"password\":\"x\"}"), "content_data.ssid");
        assertField(() -> parse("wifi", "{\"ssid\":\"a\"}"), "content_data.password");
        assertField(() -> parse("wifi", "{\"ssid\":\"a\",\"password\":\"b\",\"encryption\":\"ROT13\"}"), "content_data.encryption");
        assertField(() -> parse("vcard", "{\"note\":\"x\"}"), "content_data.first_name");
        assertField(() -> parse("email", "{\"email\":\"not-an-address\"}"), "content_data.email");
        assertField(() -> parse("phone", "{\"phone\":\"call me\"}"), "content_data.phone");
        assertField(() -> parse("sms", "{\"message\":\"hi\"}"), "content_data.phone");
        assertField(() -> parse("location", "{\"latitude\":91,\"longitude\":0}"), "content_data.latitude");
        assertField(() -> parse("location", "{\"latitude\":1,\"longitude\":\"east\"}"), "content_data.longitude");
        assertField(() -> parse("text", "[1]"), "content_data");
        assertField(() -> parse("text", "{\"text\":\"" + "a".repeat(1001) + "\"}"), "content_data.text");
        assertField(() -> QrLogo.fromDataUrl("logoUrl", "https://internal.example/logo.png"), "logoUrl");
        assertField(() -> QrLogo.fromDataUrl("logoUrl", "data:image/png;base64,AAAA"), "logoUrl");
        assertField(() -> QrLogo.fromDataUrl("logoUrl", "data:image/png;base64,%%%"), "logoUrl");
    }

    private static QrContent.Parsed parse(String type, String json) throws Exception {
        JsonNode node = Json.MAPPER.readTree(json);
        return QrContent.parse(QrContent.Type.parse(type), node);
    }

    interface Call {
        Object run() throws Exception;
    }

    private static void assertField(Call call, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.details()).containsEntry("field", field);
        });
    }

    static byte[] redSquare() {
        BufferedImage logo = new BufferedImage(40, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = logo.createGraphics();
        g.setColor(Color.RED);
        g.fillRect(0, 0, 40, 40);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(logo, "png", out);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private static BufferedImage read(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
