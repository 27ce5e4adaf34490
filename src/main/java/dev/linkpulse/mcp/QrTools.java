package dev.linkpulse.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** QR codes (spec §6.3) as MCP tools, under jmpy.me's names where its MCP server has them (generateQr, listQrCodes, ...). */
final class QrTools implements ToolGroup {

    private static final String QR = "/api/v1/qr-codes";

    private static Schema qrId() {
        return Schema.object().string("qrCodeId", "The QR code's id (UUID)").required("qrCodeId");
    }

    private static Schema image(Schema s) {
        return s.choice("format", "Image format (default png)", "png", "svg")
                .integer("size", "Width and height in pixels (default: the code's own size, 300 for a link)", 64, 2048);
    }

    /** The image as base64, or (as=url) the address a client with the key downloads it from. */
    private static Map<String, Object> qrImage(ToolCall call) {
        String id = call.id("qrCodeId");
        if (call.args().path("as").asText("base64").equals("url")) {
            JsonNode qr = call.get(QR + "/" + id, Set.of()).path("data").path("qrCode");
            String format = call.args().path("format").asText("png");
            String url = qr.path("downloadUrl").asText().replace("format=png", "format=" + format)
                    + (call.args().hasNonNull("size") ? "&size=" + call.args().get("size").asInt() : "");
            return new java.util.LinkedHashMap<>(Map.of("qr_code_id", qr.path("id").asText(), "format", format, "download_url", url,
                    "note", "GET it with the API key (Authorization: Bearer)"));
        }
        Map<String, Object> out = call.image(QR + "/" + id + "/image", Set.of("format", "size"));
        out.put("qr_code_id", call.required("qrCodeId"));
        return out;
    }

    @Override
    public String title() {
        return "QR codes";
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                McpTool.changing("generateQr",
                        "Create a QR code for a URL, text, Wi-Fi network, contact card, e-mail, phone number, SMS or place. "
                                + "Dynamic or tracked codes encode a short URL (its destination can change later; scans are counted); "
                                + "static codes encode the content itself. Returns qrCode with its downloadUrl.",
                        Schema.object()
                                .choice("contentType", "What the code holds", "url", "text", "wifi", "vcard", "email", "phone", "sms",
                                        "location")
                                .map("contentData", "The content, by contentType: url {url}; text {text}; wifi {ssid, password?, "
                                        + "encryption WPA|WEP|nopass, hidden?}; vcard {firstName, lastName?, phone?, email?, "
                                        + "organization?, url?}; email {email, subject?, body?}; phone {phone}; sms {phone, message?}; "
                                        + "location {latitude, longitude}")
                                .property("visualSettings", Map.of("type", "object", "description", "Look of the code (fixed once made)",
                                        "properties", Schema.object()
                                                .string("foregroundColor", "Dark modules, #RRGGBB (default #000000)")
                                                .string("backgroundColor", "Light modules, #RRGGBB (default #FFFFFF)")
                                                .integer("size", "Pixels (default 300)", 64, 2048)
                                                .integer("margin", "Quiet zone in modules (default 4)", 0, 20)
                                                .choice("errorCorrectionLevel", "Error correction (default M)", "L", "M", "Q", "H")
                                                .string("logoUrl", "A logo for the centre as a data: URL (PNG or JPEG, base64); web addresses are not fetched")
                                                .build().get("properties")))
                                .bool("isDynamic", "Encode a short URL whose destination can change later (url codes only)")
                                .bool("trackingEnabled", "Count scans (encodes a short URL)")
                                .string("name", "A name for the code, 1-255 characters")
                                .date("expiresAt", "When a dynamic code's short URL stops redirecting", true)
                                .required("contentType", "contentData"),
                        call -> ToolCall.result(call.post(QR + "/generate", call.args()))),
                McpTool.reading("listQrCodes",
                        "List the workspace's QR codes with scan counts, newest first unless sorted otherwise, with pagination.",
                        Schema.object()
                                .integer("page", "Page number, from 1", 1, 1_000_000)
                                .integer("limit", "Codes per page (default 50)", 1, 100)
                                .choice("qrType", "Only codes of this kind (default all)", "static", "dynamic", "tracked", "all")
                                .string("search", "Only codes whose name or content contains this text")
                                .choice("dateRange", "Only codes created in this window (default all_time)", "7d", "30d", "90d", "1y",
                                        "all_time")
                                .choice("sortBy", "Sort field (default created_at)", "name", "scans", "created_at")
                                .choice("sortOrder", "Sort order (default desc)", "asc", "desc"),
                        call -> ToolCall.result(call.get(QR, Set.of("page", "limit", "qrType", "search", "dateRange", "sortBy",
                                "sortOrder")))),
                McpTool.reading("getQrCode", "Get one QR code: its content, look, scan count, short URL and downloadUrl.",
                        qrId(),
                        call -> ToolCall.result(call.get(QR + "/" + call.id("qrCodeId"), Set.of()))),
                McpTool.changing("updateQrCode",
                        "Change a QR code: its content (dynamic codes only; the printed code keeps working), name, scan "
                                + "tracking or expiry. The look cannot change. Only the arguments given change.",
                        qrId().map("contentData", "New content, in the shape of the code's contentType (see generateQr)")
                                .string("name", "A name for the code, 1-255 characters")
                                .bool("trackingEnabled", "Count scans")
                                .date("expiresAt", "When the code's short URL stops redirecting; null clears it", true),
                        call -> ToolCall.result(call.put(QR + "/" + call.id("qrCodeId"), call.argsWithout("qrCodeId")))),
                McpTool.changing("deleteQrCode", "Delete a QR code permanently (a dynamic code's short URL stops redirecting).",
                        qrId(),
                        call -> ToolCall.result(call.delete(QR + "/" + call.id("qrCodeId")))),
                McpTool.reading("getQrCodeImage",
                        "The image of a QR code: PNG or SVG as base64 (as=base64, default), or the address to download it "
                                + "from with the API key (as=url).",
                        image(qrId()).choice("as", "How to return the image (default base64)", "base64", "url"),
                        QrTools::qrImage),
                McpTool.reading("getShortUrlQr",
                        "A QR code image for any short URL (it encodes the short URL, so scans count as its clicks), as base64.",
                        image(Schema.withLink(true))
                                .string("foregroundColor", "Dark modules, #RRGGBB (default #000000)")
                                .string("backgroundColor", "Light modules, #RRGGBB (default #FFFFFF)")
                                .integer("margin", "Quiet zone in modules (default 4)", 0, 20)
                                .choice("errorCorrectionLevel", "Error correction (default M)", "L", "M", "Q", "H"),
                        call -> {
                            Map<String, Object> out = call.image("/api/v1/short-urls/" + call.id("shortUrlId") + "/qr",
                                    Set.of("format", "size", "margin"),
                                    call.verbatim("foregroundColor", "backgroundColor", "errorCorrectionLevel"));
                            out.put("short_url_id", call.required("shortUrlId"));
                            return out;
                        }),
                McpTool.reading("getRecentQrScans",
                        "The newest scans of the workspace's tracked QR codes, newest first: when, which code, whether it was "
                                + "the visitor's first that day, where and on what device.",
                        Schema.object().integer("limit", "Scans to return (default 10)", 1, 100),
                        call -> ToolCall.result(call.get(SCANS + "recent", Set.of("limit")))),
                scans("getQrAnalyticsOverview", "overview", "Totals of the workspace's QR scans: scans, unique scanners, returning "
                        + "scanners, active days and a daily series."),
                scans("getQrAnalyticsTimeline", "timeline", "QR scans over time, bucketed by the interval asked (default day)."),
                scans("getQrAnalyticsGeographic", "geographic", "QR scans by country, region and city."),
                scans("getQrAnalyticsDevices", "device", "QR scans by device type, browser and operating system."),
                scans("getQrAnalyticsTraffic", "traffic", "Where QR scans come from: sources and referrers."),
                McpTool.reading("getQrTopPerformers", "The workspace's QR codes with the most scans in the window.",
                        Schema.object().window().integer("limit", "Codes to return (default 10)", 1, 100),
                        call -> ToolCall.result(call.get(SCANS + "top-performers", Set.of("startDate", "endDate", "limit")))));
    }

    private static final String SCANS = "/api/v1/qranalytics/";

    /** A /qranalytics answer over a window: the link analytics of the same name, for scans only. */
    private static McpTool scans(String name, String answer, String description) {
        Schema args = Schema.object().window();
        if (answer.equals("timeline")) {
            args = args.choice("interval", "Bucket size (default day)", "hour", "day", "week", "month");
        }
        return McpTool.reading(name, description + " Only scans of tracked QR codes; humans unless traffic says otherwise.",
                args.choice("traffic", "Traffic class (default human)", "human", "bot", "preview", "all"),
                call -> ToolCall.result(call.get(SCANS + answer, Set.of("startDate", "endDate", "interval", "traffic"))));
    }
}
