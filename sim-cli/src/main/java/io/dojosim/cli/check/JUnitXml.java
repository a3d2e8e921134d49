package io.dojosim.cli.check;

import io.dojosim.cli.files.JsonFiles;
import io.dojosim.cli.files.TextEscape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a comparison as JUnit XML, the format CI servers (GitHub Actions test reporters,
 * GitLab {@code artifacts:reports:junit}, Jenkins) display: for a run one testcase per metric,
 * for a sweep one testcase per point (its failure message lists the metrics outside tolerance).
 * No timestamps or durations, so the same comparison writes the same bytes.
 */
public final class JUnitXml {
    private JUnitXml() {
    }

    public static void write(Path file, Comparison cmp, String kind, String target) {
        Map<String, List<Comparison.Row>> cases = new LinkedHashMap<>();
        for (Comparison.Row r : cmp.rows()) {
            String name = kind.equals("run") ? (r.metric() == null ? r.point() : r.metric())
                    : r.point() + paramsText(cmp.points().get(r.point()));
            cases.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
        }
        int failures = 0;
        StringBuilder body = new StringBuilder();
        for (Map.Entry<String, List<Comparison.Row>> e : cases.entrySet()) {
            List<String> bad = new ArrayList<>();
            StepTimeExplanation why = null;
            for (Comparison.Row r : e.getValue()) {
                if (r.verdict() != Comparison.Verdict.OK) {
                    bad.add(r.explain());
                }
                if (r.verdict() == Comparison.Verdict.OUTSIDE && StepTimeExplanation.STEP.equals(r.metric())) {
                    why = cmp.explanations().get(r.point());
                }
            }
            if (why != null) {
                bad.add(why.text());
            }
            body.append("    <testcase classname=\"dojosim.check.").append(kind).append("\" name=\"").append(esc(e.getKey())).append("\" time=\"0\"");
            if (bad.isEmpty()) {
                body.append("/>\n");
            } else {
                failures++;
                String verdict = e.getValue().stream().filter(r -> r.verdict() != Comparison.Verdict.OK).findFirst().get().verdict().name()
                        .toLowerCase(java.util.Locale.ROOT);
                String message = why != null ? bad.get(0) + "\n" + why.text() : bad.get(0) + (bad.size() > 1 ? " (and " + (bad.size() - 1) + " more)" : "");
                body.append(">\n      <failure type=\"").append(verdict).append("\" message=\"").append(esc(message)).append("\">")
                        .append(esc(String.join("\n", bad))).append("</failure>\n    </testcase>\n");
            }
        }
        String suite = "dojosim check " + target;
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<testsuites name=\"dojosim check\" tests=\"" + cases.size() + "\" failures=\"" + failures + "\" errors=\"0\" time=\"0\">\n"
                + "  <testsuite name=\"" + esc(suite) + "\" tests=\"" + cases.size() + "\" failures=\"" + failures
                + "\" errors=\"0\" skipped=\"0\" time=\"0\">\n" + body + "  </testsuite>\n</testsuites>\n";
        JsonFiles.writeText(file, xml);
    }

    private static String paramsText(Map<String, Object> params) {
        if (params == null || params.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" (");
        boolean first = true;
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        return sb.append(')').toString();
    }

    static String esc(String s) {
        return TextEscape.escape(s, TextEscape.XML);
    }
}
