package dev.linkpulse.common;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends, an optional UTF-8 BOM. */
public final class Csv {

    private Csv() {}

    /** Where parsing failed: the 1-based line and what went wrong. */
    public record Problem(int line, String message) {}

    /** The records of {@code text}, or the problem that stopped parsing. Blank lines are skipped. */
    public static Result parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = text.startsWith("\uFEFF") ? 1 : 0;
        int line = 1;
        int quotedFrom = 0;
        boolean quoted = false;
        boolean fieldStarted = false;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                    i++;
                    if (i < text.length() && ",\r\n".indexOf(text.charAt(i)) < 0) {
                        return Result.failure(new Problem(line, "unexpected character after a closing quote"));
                    }
                    continue;
                }
                if (c == '\n') {
                    line++;
                }
                field.append(c);
                i++;
                continue;
            }
            switch (c) {
                case '"' -> {
                    if (field.length() > 0) {
                        return Result.failure(new Problem(line, "a quote inside an unquoted field"));
                    }
                    quoted = true;
                    quotedFrom = line;
                    fieldStarted = true;
                }
                case ',' -> {
                    record.add(field.toString());
                    field.setLength(0);
                    fieldStarted = true;
                }
                case '\r', '\n' -> {
                    if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                        i++;
                    }
                    endRecord(records, record, field, fieldStarted);
                    record = new ArrayList<>();
                    fieldStarted = false;
                    line++;
                }
                default -> {
                    field.append(c);
                    fieldStarted = true;
                }
            }
            i++;
        }
        if (quoted) {
            return Result.failure(new Problem(quotedFrom, "a quoted field is never closed"));
        }
        endRecord(records, record, field, fieldStarted);
        return new Result(records, Optional.empty());
    }

    private static void endRecord(List<List<String>> records, List<String> record, StringBuilder field, boolean fieldStarted) {
        if (!fieldStarted && record.isEmpty()) {
            return;
        }
        record.add(field.toString());
        field.setLength(0);
        records.add(List.copyOf(record));
    }

    /** Parsed records, or a problem. */
    public record Result(List<List<String>> records, Optional<Problem> problem) {
        static Result failure(Problem p) {
            return new Result(List.of(), Optional.of(p));
        }
    }

    /**
     * One cell of an export meant for spreadsheets: {@link #field} of the value, with a leading
     * {@code '} when the value begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
     * carriage return (OWASP, CSV injection). Exports carry what visitors sent (user agents,
     * referrers, UTM tags), and a spreadsheet would run {@code =HYPERLINK(…)} or {@code @SUM(A1)}
     * as a formula; the quote makes it text and shows what was sent.
     */
    public static String cell(String value) {
        if (value != null && !value.isEmpty()) {
            char first = value.charAt(0);
            if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
                return field("'" + value);
            }
        }
        return field(value);
    }

    /** One field as RFC 4180 writes it: quoted when it holds a comma, quote or line break. */
    public static String field(String value) {
        if (value == null) {
            return "";
        }
        boolean needsQuotes = false;
        for (int i = 0; i < value.length() && !needsQuotes; i++) {
            char c = value.charAt(i);
            needsQuotes = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        return needsQuotes ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
