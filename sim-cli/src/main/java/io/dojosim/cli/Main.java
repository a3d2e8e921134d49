package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.SimulationError;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code dojosim} command. Exit codes: 0 success, 1 a check failed, 2 bad input (config,
 * workload, option), 4 internal error (out of memory included), 130 interrupted (Ctrl-C). Errors print one message, without a stack trace unless
 * {@code --debug} is given.
 *
 * <p>The subcommands are registered in code, not in the annotation: a command line that names one
 * subcommand builds picocli's model of that one only ({@link #newCommandLine(PrintWriter,
 * PrintWriter, String...)}), so that a small command does not pay for the reflection over the
 * options of all sixteen and the classes their fields name (docs/performance.md, "Start-up of a
 * command"; ADR 0114). Help, errors and suggestions are those of the full command line.
 */
@Command(name = "dojosim", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Cycle-level simulator of the Tesla Dojo training system.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:a check failed (dojosim check outside tolerance)",
                "2:bad input: config, workload, option or file",
                "4:internal error (a bug in dojosim; please report it) or out of memory",
                "130:interrupted by Ctrl-C (what existed was written, marked \"complete\": false)"})
public final class Main implements Runnable {
    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean debug;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "More log output (repeat for more).")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "Only errors on the console.")
    boolean quiet;

    @picocli.CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code;
        Interruption.install();
        try {
            code = execute(args);
        } catch (Throwable t) {
            // the last guard: nothing leaves dojosim as exit 1 or as a stack trace without --debug
            System.err.println("internal error: " + (t instanceof OutOfMemoryError ? "out of memory" : t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + t.getMessage())) + " (run again with --debug, and please report it)");
            if (java.util.Arrays.asList(args).contains("--debug")) t.printStackTrace();
            code = ExitCodes.INTERNAL;
        }
        System.out.flush();
        System.exit(code);
    }

    /** An Error thrown by a command, carried to the execution exception handler as an exception. */
    static final class Escaped extends RuntimeException {
        Escaped(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** @return true when {@code -q} was given to the command line of this command */
    static boolean quiet(CommandLine.Model.CommandSpec spec) {
        return spec.root().userObject() instanceof Main m && m.quiet;
    }

    /** Runs the command line and returns the exit code (used by tests). */
    public static int execute(String... args) {
        return newCommandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args).execute(args);
    }

    /** Runs the command line writing to the given streams and returns the exit code (used by tests of other modules). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        return newCommandLine(out, err, args).execute(args);
    }

    /** @return a configured command line with every subcommand, writing to the given streams */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return newCommandLine(out, err, Subcommands.ALL);
    }

    /**
     * @return a configured command line writing to the given streams, with only the subcommand
     * {@code args} name when they name one to run ({@link Subcommands#needed}); it parses and runs
     * {@code args} exactly as the command line of {@link #newCommandLine(PrintWriter, PrintWriter)}
     */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err, String... args) {
        return newCommandLine(out, err, Subcommands.needed(args));
    }

    private static CommandLine newCommandLine(PrintWriter out, PrintWriter err, java.util.List<String> subcommands) {
        Main main = new Main();
        CommandLine cl = new CommandLine(main);
        // before the settings below: picocli applies them to the subcommands present at the time
        for (String name : subcommands) cl.addSubcommand(name, Subcommands.newCommand(name));
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionStrategy(parseResult -> {
            main.configureLogging();
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (VirtualMachineError | LinkageError | AssertionError e) {
                // picocli lets Errors through: carry them to the handler below (exit 4, one line);
                // only an ExecutionException reaches it (anything else picocli prints with its stack)
                throw new CommandLine.ExecutionException(cl, e.toString(), new Escaped(e));
            }
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            if (ex instanceof ConfigException) {
                e.println("error: " + ex.getMessage());
                if (main.debug) ex.printStackTrace(e);
                e.flush();
                return ExitCodes.BAD_INPUT;
            }
            if (ex instanceof io.dojosim.core.engine.SimulationInterrupted si) {
                e.println("interrupted at simulated time " + si.nowPs() + " ps; nothing was written");
                e.flush();
                return ExitCodes.INTERRUPTED;
            }
            if (ex instanceof Escaped esc && esc.getCause() instanceof OutOfMemoryError) {
                e.println("internal error: out of memory (the Java heap holds " + Runtime.getRuntime().maxMemory() / (1L << 20)
                        + " MiB): the request is larger than the admission checks estimated; make it smaller or give more heap"
                        + " with DOJOSIM_JAVA_OPTS=-Xmx<size>, and please report the command");
                if (main.debug) ex.getCause().printStackTrace(e);
                e.flush();
                return ExitCodes.INTERNAL;
            }
            if (ex instanceof Escaped esc) {
                e.println("internal error: " + esc.getCause());
            } else if (ex instanceof SimulationError) {
                e.println("internal error: " + ex.getMessage());
            } else {
                e.println("internal error: " + ex);
            }
            if (main.debug) {
                ex.printStackTrace(e);
            } else {
                e.println("(run again with --debug for the stack trace, and please report it)");
            }
            e.flush();
            return ExitCodes.INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            PrintWriter e = c.getErr();
            e.println("error: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, e)) {
                e.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for the options.");
            }
            e.flush();
            return ExitCodes.BAD_INPUT;
        });
        return cl;
    }

    private void configureLogging() {
        // recorded, not applied: Logback starts only if something logs (ConsoleLogging)
        ConsoleLogging.RootLevel.set(quiet ? "ERROR" : verbose.length >= 2 ? "TRACE" : verbose.length == 1 ? "DEBUG" : "INFO");
    }
}
