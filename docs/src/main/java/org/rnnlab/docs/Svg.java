package org.rnnlab.docs;

import java.util.Locale;

/**
 * A plain SVG text writer: boxes, circles, arrows and labels, with every number printed the same way
 * on every machine, so that a figure redrawn is the same bytes.
 */
final class Svg {
    static final String INK = "#222222";
    static final String BLUE = "#2f5d9e";
    static final String RED = "#b03a2e";
    static final String GREEN = "#2e7d4f";
    static final String FILL = "#eef3fb";
    static final String GATE = "#fdf2e0";

    private final StringBuilder s = new StringBuilder();
    private final double width;
    private final double height;

    Svg(double width, double height, String title) {
        this.width = width;
        this.height = height;
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(n(width)).append("\" height=\"")
                .append(n(height)).append("\" viewBox=\"0 0 ").append(n(width)).append(' ').append(n(height))
                .append("\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"14\">\n");
        s.append("<title>").append(escape(title)).append("</title>\n");
        s.append("<defs>\n");
        for (String[] c : new String[][] {{"ink", INK}, {"blue", BLUE}, {"red", RED}, {"green", GREEN}}) {
            s.append("<marker id=\"arrow-").append(c[0]).append("\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" ")
                    .append("markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
                    .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"").append(c[1]).append("\"/></marker>\n");
        }
        s.append("</defs>\n");
        s.append("<rect x=\"0\" y=\"0\" width=\"").append(n(width)).append("\" height=\"").append(n(height))
                .append("\" fill=\"#ffffff\"/>\n");
    }

    static String n(double v) {
        double r = Math.round(v * 10) / 10.0;
        if (r == Math.rint(r)) {
            return Long.toString((long) r);
        }
        return String.format(Locale.ROOT, "%.1f", r);
    }

    static String escape(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String marker(String color) {
        return switch (color) {
            case BLUE -> "arrow-blue";
            case RED -> "arrow-red";
            case GREEN -> "arrow-green";
            default -> "arrow-ink";
        };
    }

    /** A box centred at (cx, cy). */
    Svg box(double cx, double cy, double w, double h, String fill, String label) {
        s.append("<rect x=\"").append(n(cx - w / 2)).append("\" y=\"").append(n(cy - h / 2)).append("\" width=\"")
                .append(n(w)).append("\" height=\"").append(n(h)).append("\" rx=\"6\" fill=\"").append(fill)
                .append("\" stroke=\"").append(INK).append("\" stroke-width=\"1.5\"/>\n");
        if (label != null) {
            text(cx, cy + 5, label, 14, "middle", INK);
        }
        return this;
    }

    /** A circle centred at (cx, cy), with a symbol in it. */
    Svg node(double cx, double cy, double r, String fill, String label) {
        s.append("<circle cx=\"").append(n(cx)).append("\" cy=\"").append(n(cy)).append("\" r=\"").append(n(r))
                .append("\" fill=\"").append(fill).append("\" stroke=\"").append(INK).append("\" stroke-width=\"1.5\"/>\n");
        if (label != null) {
            text(cx, cy + 5, label, 15, "middle", INK);
        }
        return this;
    }

    /** A straight arrow from (x1, y1) to (x2, y2). */
    Svg arrow(double x1, double y1, double x2, double y2, String color) {
        return path("M " + n(x1) + " " + n(y1) + " L " + n(x2) + " " + n(y2), color, false, true);
    }

    /** A dashed arrow. */
    Svg dashed(double x1, double y1, double x2, double y2, String color) {
        return path("M " + n(x1) + " " + n(y1) + " L " + n(x2) + " " + n(y2), color, true, true);
    }

    /** An arrow along the points x0, y0, x1, y1, … (right angles, as in a circuit). */
    Svg elbow(String color, double... xy) {
        StringBuilder d = new StringBuilder("M ").append(n(xy[0])).append(' ').append(n(xy[1]));
        for (int i = 2; i < xy.length; i += 2) {
            d.append(" L ").append(n(xy[i])).append(' ').append(n(xy[i + 1]));
        }
        return path(d.toString(), color, false, true);
    }

    /** A line without an arrow head. */
    Svg line(double x1, double y1, double x2, double y2, String color) {
        return path("M " + n(x1) + " " + n(y1) + " L " + n(x2) + " " + n(y2), color, false, false);
    }

    Svg path(String d, String color, boolean dashed, boolean head) {
        s.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
                .append("\" stroke-width=\"1.6\"");
        if (dashed) {
            s.append(" stroke-dasharray=\"6 4\"");
        }
        if (head) {
            s.append(" marker-end=\"url(#").append(marker(color)).append(")\"");
        }
        s.append("/>\n");
        return this;
    }

    Svg text(double x, double y, String t, double size, String anchor, String color) {
        s.append("<text x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" font-size=\"").append(n(size))
                .append("\" text-anchor=\"").append(anchor).append("\" fill=\"").append(color).append("\">")
                .append(escape(t)).append("</text>\n");
        return this;
    }

    /** A frame around a region, with a caption at its top left. */
    Svg frame(double x, double y, double w, double h, String caption) {
        s.append("<rect x=\"").append(n(x)).append("\" y=\"").append(n(y)).append("\" width=\"").append(n(w))
                .append("\" height=\"").append(n(h)).append("\" fill=\"none\" stroke=\"#999999\" stroke-width=\"1\"")
                .append(" stroke-dasharray=\"3 3\"/>\n");
        return text(x + 8, y + 18, caption, 13, "start", "#555555");
    }

    @Override
    public String toString() {
        return s + "</svg>\n";
    }

    double width() {
        return width;
    }

    double height() {
        return height;
    }
}
