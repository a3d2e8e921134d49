package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParamDef;
import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.pod.catalog.ModelCatalog;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dojosim describe [COMPONENT]}: every parameter with its type, unit, default, allowed
 * values, and the source of the default (a published figure with its citation, or an assumption
 * with the doc page that argues it). {@code describe --stats [MODEL]}: every statistic a run can
 * write, by model ({@link ModelCatalog#stats()}), with its path pattern, unit, kind and description.
 */
@Command(name = "describe", mixinStandardHelpOptions = true, description = {"Print parameters with unit, default and the source of each default.",
        "COMPONENT is a group (d1.node), a prefix (d1) or a full key; without it, every group.",
        "With --stats: the statistics each model writes; COMPONENT is then a model (D1Node).",
        "With -c FILE (repeatable, later files win) and --set: each value as resolved and the layer it came from."})
public final class DescribeCommand implements Runnable {
    @Parameters(arity = "0..1", paramLabel = "COMPONENT", description = "Group, prefix or key to describe.")
    String component;

    @Option(names = "--stats", description = "List statistics (path pattern, unit, kind, description) instead of parameters.")
    boolean stats;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Config file(s) to resolve; repeatable, later files win. Shows each value and where it came from.")
    List<java.nio.file.Path> configFiles = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one parameter (with -c or alone); repeatable.")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private ResolvedConfig resolved;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        if (stats) {
            printStats(out);
            return;
        }
        if (!configFiles.isEmpty() || !overrides.isEmpty()) {
            resolved = new ConfigLoader(Catalog.get()).resolveLayers(configFiles, overrides);
            out.println("Layers, later wins: " + String.join(" < ", ConfigLoader.layers(resolved)));
            out.println();
        }
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

    private void printStats(PrintWriter out) {
        List<StatGroup> groups = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (StatGroup g : ModelCatalog.stats()) {
            names.add(g.model());
            if (component == null || g.model().equalsIgnoreCase(component)) groups.add(g);
        }
        if (groups.isEmpty()) {
            throw new ConfigException("describe --stats: no model '" + component + "'; models: " + String.join(", ", names));
        }
        out.println("Statistics by model. <name>: a component path its builder gives; {x}: a value filled per instance.");
        out.println();
        for (StatGroup g : groups) {
            out.println(g.model() + " - " + g.description());
            for (StatDef d : g.stats()) {
                out.println("  " + d.path() + "  [" + d.unit().symbol() + ", " + d.kind().label() + "]");
                out.println("      " + d.description());
            }
            out.println();
        }
    }

    private void printParam(PrintWriter out, ParamDef d) {
        String unit = d.unit().isEmpty() ? "" : " " + d.unit();
        if (resolved != null && !"default".equals(resolved.origins().get(d.key()))) {
            out.println("  " + d.key() + " = " + Output.yamlValue(resolved.values().get(d.key())) + unit + "   <- " + resolved.origins().get(d.key())
                    + " (default " + Output.yamlValue(d.defaultValue()) + ")");
        } else {
            out.println("  " + d.key() + " = " + Output.yamlValue(d.defaultValue()) + unit);
        }
        out.println("      " + d.description());
        out.println("      type " + d.type().name().toLowerCase(java.util.Locale.ROOT) + "; allowed: " + d.allowedText());
        out.println("      source: " + d.source());
    }
}
