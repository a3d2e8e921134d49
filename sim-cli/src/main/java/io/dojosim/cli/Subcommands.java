package io.dojosim.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * The subcommands of {@code dojosim}, by name, and which of them a command line needs.
 *
 * <p>picocli builds the model of a command by reflection over its annotated fields, which loads
 * the classes those fields name (Jackson, workloads, results); for all sixteen subcommands this
 * was the largest phase of a small command's start. {@link #needed} picks the one subcommand a
 * command line runs, so that only its model is built. A command line whose meaning depends on the
 * other subcommands (usage, {@code help}, an unknown or misspelled name, an option of
 * {@code dojosim} itself other than {@code --debug}, {@code -q}, {@code -v}, an {@code @file})
 * gets all of them, so that usage, errors and suggestions are those of the full command line.
 *
 * <p>Caveats: a subcommand added to {@code dojosim} must be added to {@link #ALL} and to
 * {@link #commandClass} (SubcommandsTest checks both against each class's {@code @Command} name).
 */
final class Subcommands {
    private Subcommands() {
    }

    /** Every subcommand, in the order {@code dojosim --help} lists them. */
    static final List<String> ALL = List.of("help", "version", "describe", "validate", "run", "montecarlo", "plan",
            "kernel", "calibrate", "noc", "info", "collective", "sweep", "workload", "check", "report");

    /**
     * @return the class of the named subcommand, or null for an unknown name; a class literal per
     * case, so that only the class asked for is loaded
     */
    static Class<?> commandClass(String name) {
        return switch (name) {
            case "help" -> CommandLine.HelpCommand.class;
            case "version" -> VersionCommand.class;
            case "describe" -> DescribeCommand.class;
            case "validate" -> ValidateCommand.class;
            case "run" -> RunCommand.class;
            case "montecarlo" -> MonteCarloCommand.class;
            case "plan" -> PlanCommand.class;
            case "kernel" -> KernelCommand.class;
            case "calibrate" -> CalibrateCommand.class;
            case "noc" -> NocCommand.class;
            case "info" -> InfoCommand.class;
            case "collective" -> CollectiveCommand.class;
            case "sweep" -> SweepCommand.class;
            case "workload" -> WorkloadCommand.class;
            case "check" -> CheckCommand.class;
            case "report" -> ReportCommand.class;
            default -> null;
        };
    }

    /** @return a new command line of the named subcommand (one of {@link #ALL}) */
    static CommandLine newCommand(String name) {
        return new CommandLine(commandClass(name));
    }

    /**
     * @return the subcommands the command line {@code args} needs: the one it names when it names
     * one to run, preceded only by {@code --debug}, {@code -q}, {@code --quiet}, {@code -v},
     * {@code --verbose} or clusters of {@code -q} and {@code -v}; otherwise all of them
     */
    static List<String> needed(String... args) {
        for (String a : args) {
            if (a.equals("--debug") || a.equals("--quiet") || a.equals("--verbose") || quietVerboseCluster(a)) continue;
            // the first other word: a subcommand to run, or something only the full command line answers
            return a.equals("help") || commandClass(a) == null ? ALL : List.of(a);
        }
        return ALL;
    }

    /** @return true for {@code -q}, {@code -v}, {@code -vv}, {@code -qv} and the like */
    private static boolean quietVerboseCluster(String a) {
        if (a.length() < 2 || a.charAt(0) != '-') return false;
        for (int i = 1; i < a.length(); i++) {
            if (a.charAt(i) != 'q' && a.charAt(i) != 'v') return false;
        }
        return true;
    }
}
