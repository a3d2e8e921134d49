package io.dojosim.cli.report;

import io.dojosim.cli.check.Comparison;
import io.dojosim.cli.check.Results;
import io.dojosim.cli.check.StepTimeExplanation;
import io.dojosim.cli.check.Tolerances;
import io.dojosim.cli.files.TextEscape;
import io.dojosim.core.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code dojosim report --compare BASE NEW}: a self-contained HTML page comparing two run (or two
 * sweep) folders: for each point whose step time moved, the table of what moved it
 * ({@link StepTimeExplanation}, the same table {@code dojosim check} prints), then every metric
 * with its change, those outside the default tolerance marked.
 *
 * <p>Caveats: the page is static HTML (no script); the tolerance is {@link Tolerances#DEFAULT}.
 */
public final class CompareReport {
    private CompareReport() {
    }

    /** @return the HTML comparing {@code base} with {@code current} */
    public static String build(Path base, Path current, String generator) {
        Results b = Results.read(base);
        Results c = Results.read(current);
        if (!b.kind().equals(c.kind())) {
            throw new ConfigException("report --compare: " + base + " is a " + b.kind() + " folder and " + current + " a " + c.kind()
                    + " folder; compare two runs or two sweeps");
        }
        Comparison cmp = Comparison.compare(b, c, new Tolerances(Tolerances.DEFAULT));
        StringBuilder h = new StringBuilder();
        String title = "dojosim comparison: " + base + " -> " + current;
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title)).append("</title>\n<style>")
                .append("body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:8px 0 24px}")
                .append("td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}")
                .append("tr.out td{background:#fde8e8}h2{margin-top:28px}.pass{color:#1a7f37}.fail{color:#b42318}")
                .append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
        h.append("<p class=\"").append(cmp.passed() ? "pass" : "fail").append("\">").append(cmp.count(Comparison.Verdict.OK)).append(" of ")
                .append(cmp.rows().size()).append(" metrics within ").append(Tolerances.format(Tolerances.DEFAULT)).append("; ")
                .append(cmp.count(Comparison.Verdict.OUTSIDE)).append(" outside, ").append(cmp.count(Comparison.Verdict.MISSING))
                .append(" missing, ").append(cmp.count(Comparison.Verdict.EXTRA)).append(" new</p>\n");
        boolean any = false;
        for (String id : cmp.points().keySet()) {
            Results.Point pb = b.points().get(id);
            Results.Point pc = c.points().get(id);
            StepTimeExplanation x = pb == null || pc == null ? null : StepTimeExplanation.of(pb.metrics(), pc.metrics());
            if (x == null || x.rows().isEmpty()) {
                continue;
            }
            any = true;
            h.append("<h2 id=\"why-").append(esc(id)).append("\">Why the step time moved").append(b.kind().equals("run") ? "" : " (" + esc(id) + ")")
                    .append("</h2>\n<p>").append(esc(x.headline())).append("</p>\n");
            table(h, x.cells(), 2);
        }
        if (!any) {
            h.append("<h2>Why the step time moved</h2>\n<p>No step time to explain: it did not change, or a side has none.</p>\n");
        }
        h.append("<h2>Every metric</h2>\n<table><tr><th>point</th><th>metric</th><th>baseline</th><th>current</th><th>change</th><th>status</th></tr>\n");
        for (Comparison.Row r : cmp.rows()) {
            h.append(r.verdict() == Comparison.Verdict.OK ? "<tr>" : "<tr class=\"out\">").append("<td>").append(esc(r.point())).append("</td><td>")
                    .append(esc(r.metric() == null ? "-" : r.metric())).append("</td><td class=\"n\">").append(r.baseline() == null ? "-" : r.baseline())
                    .append("</td><td class=\"n\">").append(r.current() == null ? "-" : r.current()).append("</td><td class=\"n\">")
                    .append(Double.isNaN(r.relative()) ? "-" : String.format(Locale.ROOT, "%+.3f%%", r.relative() * 100)).append("</td><td>")
                    .append(r.verdict().name().toLowerCase(Locale.ROOT)).append("</td></tr>\n");
        }
        h.append("</table>\n<p>").append(esc(generator)).append("</p>\n</body></html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, List<String[]> cells, int firstNumber) {
        h.append("<table>\n");
        for (int i = 0; i < cells.size(); i++) {
            h.append("<tr>");
            String[] row = cells.get(i);
            for (int k = 0; k < row.length; k++) {
                String tag = i == 0 ? "th" : "td";
                h.append('<').append(tag).append(i > 0 && k >= firstNumber ? " class=\"n\"" : "").append('>').append(esc(row[k]))
                        .append("</").append(tag).append('>');
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static String esc(String s) {
        return TextEscape.escape(s, TextEscape.HTML);
    }
}
