package io.github.accepted.examples.reports;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Writes a plain PDF 1.4 document: Letter-sized pages of Helvetica text lines. */
final class Pdf {

    private final List<List<String>> pages = new ArrayList<>();

    /** Adds a page holding these lines (ASCII; others are replaced by '?'). */
    Pdf page(List<String> lines) {
        pages.add(List.copyOf(lines));
        return this;
    }

    byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(out, "%PDF-1.4\n");
        int fontObject = 3 + 2 * pages.size();
        object(out, offsets, "<< /Type /Catalog /Pages 2 0 R >>");
        StringBuilder kids = new StringBuilder();
        for (int i = 0; i < pages.size(); i++) {
            kids.append(3 + 2 * i).append(" 0 R ");
        }
        object(out, offsets, "<< /Type /Pages /Kids [" + kids.toString().trim() + "] /Count " + pages.size() + " >>");
        for (int i = 0; i < pages.size(); i++) {
            object(
                    out,
                    offsets,
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 " + fontObject
                            + " 0 R >> >> /Contents " + (4 + 2 * i) + " 0 R >>");
            String content = content(pages.get(i));
            object(out, offsets, "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream");
        }
        object(out, offsets, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        int xref = out.size();
        write(out, "xref\n0 " + (offsets.size() + 1) + "\n0000000000 65535 f \n");
        for (int offset : offsets) {
            write(out, String.format("%010d 00000 n \n", offset));
        }
        write(out, "trailer\n<< /Size " + (offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static String content(List<String> lines) {
        StringBuilder text = new StringBuilder("BT\n/F1 12 Tf\n16 TL\n72 720 Td\n");
        boolean first = true;
        for (String line : lines) {
            if (first) {
                text.append("/F1 20 Tf\n");
            }
            text.append('(').append(escape(line)).append(") Tj T*\n");
            if (first) {
                text.append("/F1 12 Tf\nT*\n");
                first = false;
            }
        }
        return text.append("ET").toString();
    }

    private static String escape(String line) {
        StringBuilder out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                out.append('?');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void object(ByteArrayOutputStream out, List<Integer> offsets, String body) {
        offsets.add(out.size());
        write(out, offsets.size() + " 0 obj\n" + body + "\nendobj\n");
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
    }
}
