package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamDef;
import io.dojosim.core.config.ParamGroup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code dojosim describe [COMPONENT]}: every parameter with its type, unit, default, allowed
 * values, and the source of the default (a published figure with its citation, or an assumption
 * with the doc page that argues it).
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = {"Print parameters with unit, default and the source of each default.",
        "COMPONENT is a group (d1.node), a prefix (d1) or a full key; without it, every group."})
public final class DescribeCommand implements Runnable {
    @Parameters(arity = "0..1", paramLabel = "COMPONENT", description = "Group, prefix or key to describe.")
    String component;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<ParamGroup> groups = new ArrayList<>();
        for (ParamGroup g : Catalog.groups()) {
            if (component == null || g.name().equals(component) || g.name().startsWith(component + ".")) {
                groups.add(g);
            }
        }
        if (groups.isEmpty() && component != null) {
            ParamDef d = Catalog.get().find(component);
            if (d == null) {
                List<String> names = new ArrayList<>();
                for (ParamGroup g : Catalog.groups()) names.add(g.name());
                throw new ConfigException("describe: no component or key '" + component + "'; components: " + String.join(", ", names));
            }
            printParam(out, d);
            return;
        }
        for (ParamGroup g : groups) {
            out.println(g.name() + " - " + g.description());
            out.println("  doc: " + g.docPage());
            for (ParamDef d : g.params()) {
                printParam(out, d);
            }
            out.println();
        }
    }

    private static void printParam(PrintWriter out, ParamDef d) {
        out.println("  " + d.key() + " = " + Output.yamlValue(d.defaultValue()) + (d.unit().isEmpty() ? "" : " " + d.unit()));
        out.println("      " + d.description());
        out.println("      type " + d.type().name().toLowerCase(java.util.Locale.ROOT) + "; allowed: " + d.allowedText());
        out.println("      source: " + d.source());
    }
}
