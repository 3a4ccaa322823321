package org.rnnlab.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Markdown-to-HTML converter for the docs' own pages: headings, paragraphs, fenced code, tables,
 * lists, images, links, inline code, bold and italics. Math stays as written ($…$). The page it makes is
 * self-contained (no network) and, once loaded, writes into its title whether every image loaded:
 * {@code OK n} or {@code BROKEN src …}.
 */
public final class MarkdownPage {
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");
    private static final Pattern BOLD = Pattern.compile("\\*\\*([^*]+)\\*\\*");
    private static final Pattern ITALIC = Pattern.compile("(?<![*\\w])\\*([^*\\s][^*]*)\\*(?![*\\w])");

    private MarkdownPage() {
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Inline markup of one line of text. */
    static String inline(String text) {
        List<String> codes = new ArrayList<>();
        Matcher c = CODE.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (c.find()) {
            codes.add(c.group(1));
            c.appendReplacement(sb, Matcher.quoteReplacement("\u0000" + (codes.size() - 1) + "\u0000"));
        }
        c.appendTail(sb);
        String t = escape(sb.toString());
        t = IMAGE.matcher(t).replaceAll(m -> Matcher.quoteReplacement("<img alt=\"" + m.group(1) + "\" src=\"" + m.group(2) + "\">"));
        t = LINK.matcher(t).replaceAll(m -> Matcher.quoteReplacement("<a href=\"" + m.group(2).replace(".md", ".html") + "\">"
                + m.group(1) + "</a>"));
        t = BOLD.matcher(t).replaceAll("<strong>$1</strong>");
        t = ITALIC.matcher(t).replaceAll("<em>$1</em>");
        for (int i = 0; i < codes.size(); i++) {
            t = t.replace("\u0000" + i + "\u0000", "<code>" + Matcher.quoteReplacement(escape(codes.get(i))) + "</code>");
        }
        return t;
    }

    private static String[] cells(String row) {
        String r = row.trim();
        if (r.startsWith("|")) {
            r = r.substring(1);
        }
        if (r.endsWith("|")) {
            r = r.substring(0, r.length() - 1);
        }
        return r.split("(?<!\\\\)\\|", -1);
    }

    /**
     * @param title    the page's title
     * @param markdown the page
     * @return the HTML page
     */
    public static String toHtml(String title, String markdown) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
                        + "pre{background:#f4f4f4;padding:.6em;overflow-x:auto}table{border-collapse:collapse}"
                        + "td,th{border:1px solid #ccc;padding:.2em .5em}img{max-width:100%}</style>\n"
                        + "<script>window.addEventListener('load',function(){var bad=[];"
                        + "for(var i=0;i<document.images.length;i++){var m=document.images[i];"
                        + "if(!m.complete||m.naturalWidth===0){bad.push(m.getAttribute('src'));}}"
                        + "document.title=bad.length?'BROKEN '+bad.join(' '):'OK '+document.images.length;});</script>\n"
                        + "</head><body>\n");
        String[] lines = markdown.split("\n", -1);
        List<String> para = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String l = lines[i];
            String t = l.trim();
            if (t.startsWith("```")) {
                flush(h, para);
                h.append("<pre><code>");
                i++;
                while (i < lines.length && !lines[i].trim().startsWith("```")) {
                    h.append(escape(lines[i])).append('\n');
                    i++;
                }
                h.append("</code></pre>\n");
                i++;
            } else if (t.startsWith("<!--")) {
                flush(h, para);
                i++;
            } else if (t.startsWith("#")) {
                flush(h, para);
                int level = t.indexOf(' ');
                h.append("<h").append(level).append('>').append(inline(t.substring(level + 1))).append("</h").append(level).append(">\n");
                i++;
            } else if (t.startsWith("|") && i + 1 < lines.length && lines[i + 1].trim().matches("\\|?\\s*:?-+.*")) {
                flush(h, para);
                h.append("<table>\n<tr>");
                for (String c : cells(t)) {
                    h.append("<th>").append(inline(c.trim())).append("</th>");
                }
                h.append("</tr>\n");
                i += 2;
                while (i < lines.length && lines[i].trim().startsWith("|")) {
                    h.append("<tr>");
                    for (String c : cells(lines[i])) {
                        h.append("<td>").append(inline(c.trim())).append("</td>");
                    }
                    h.append("</tr>\n");
                    i++;
                }
                h.append("</table>\n");
            } else if (t.matches("([-*]|\\d+\\.) .*")) {
                flush(h, para);
                boolean ordered = Character.isDigit(t.charAt(0));
                h.append(ordered ? "<ol>\n" : "<ul>\n");
                while (i < lines.length && lines[i].trim().matches("([-*]|\\d+\\.) .*")) {
                    String item = lines[i].trim().replaceFirst("^([-*]|\\d+\\.) ", "");
                    i++;
                    while (i < lines.length && lines[i].startsWith("  ") && !lines[i].trim().isEmpty()) {
                        item += " " + lines[i].trim();
                        i++;
                    }
                    h.append("<li>").append(inline(item)).append("</li>\n");
                }
                h.append(ordered ? "</ol>\n" : "</ul>\n");
            } else if (t.isEmpty()) {
                flush(h, para);
                i++;
            } else {
                para.add(t);
                i++;
            }
        }
        flush(h, para);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void flush(StringBuilder h, List<String> para) {
        if (!para.isEmpty()) {
            h.append("<p>").append(inline(String.join(" ", para))).append("</p>\n");
            para.clear();
        }
    }
}
