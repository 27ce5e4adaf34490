package dev.linkpulse.store;

/** Rows in PostgreSQL's COPY text format: tab-separated, {@code \N} for null, backslash escapes. */
public final class CopyText {

    private final StringBuilder out;
    private boolean lineStarted;

    public CopyText(int expectedChars) {
        this.out = new StringBuilder(expectedChars);
    }

    public CopyText add(String value) {
        separate();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        int clean = 0;
        while (clean < value.length() && !needsEscape(value.charAt(clean))) {
            clean++;
        }
        if (clean == value.length()) {
            out.append(value); // the common case: nothing to escape, one copy
            return this;
        }
        out.append(value, 0, clean);
        for (int i = clean; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return this;
    }

    private static boolean needsEscape(char c) {
        return c == '\\' || c == '\t' || c == '\n' || c == '\r';
    }

    public CopyText add(long value) {
        separate();
        out.append(value);
        return this;
    }

    public CopyText endRow() {
        out.append('\n');
        lineStarted = false;
        return this;
    }

    private void separate() {
        if (lineStarted) {
            out.append('\t');
        }
        lineStarted = true;
    }

    /** The rows as UTF-8, ready for {@code COPY ... FROM STDIN}. */
    public byte[] toUtf8() {
        return out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
