package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line built for one subcommand ({@link Subcommands#needed}) behaves exactly as the
 * full one: same exit code, same standard output and error, byte for byte.
 */
class SubcommandsTest {
    private static final PrintWriter SINK = new PrintWriter(new StringWriter());

    @Test
    void theListNamesEverySubcommandByItsAnnotationInHelpOrder() {
        for (String name : Subcommands.ALL) {
            Class<?> c = Subcommands.commandClass(name);
            assertNotNull(c, name);
            assertEquals(name, c.getAnnotation(CommandLine.Command.class).name(), c.getName());
        }
        assertNull(Subcommands.commandClass("nosuch"));
        List<String> keys = new ArrayList<>(Main.newCommandLine(SINK, SINK).getSubcommands().keySet());
        assertEquals(Subcommands.ALL, keys);
    }

    @Test
    void aCommandLineThatRunsOneSubcommandBuildsOnlyThatOne() {
        assertEquals(List.of("noc"), Subcommands.needed("noc", "-q", "--preset", "booksim", "--rate", "0.1"));
        assertEquals(List.of("run"), Subcommands.needed("-q", "--debug", "-vv", "-qv", "--verbose", "--quiet", "run", "--help"));
        assertEquals(List.of("version"), Subcommands.needed("version", "run"));
        assertEquals(List.of("noc"), new ArrayList<>(Main.newCommandLine(SINK, SINK, "-q", "noc", "--rate", "0.1").getSubcommands().keySet()));
    }

    @Test
    void usageHelpErrorsAndOwnOptionsGetEverySubcommand() {
        String[][] full = {{}, {"-q"}, {"--help"}, {"-h", "noc"}, {"-V"}, {"-qh", "run"}, {"help", "run"}, {"nosuch"}, {"rn"},
                {"--nosuch", "run"}, {"@args.txt"}, {"--", "run"}, {"-x", "noc"}, {"--debug=true", "run"}, {"RUN"}};
        for (String[] args : full) {
            assertEquals(Subcommands.ALL, Subcommands.needed(args), String.join(" ", args));
        }
    }

    @Test
    void oneSubcommandGivesTheSameOutputAsAll() {
        List<String[]> lines = new ArrayList<>();
        for (String name : Subcommands.ALL) lines.add(new String[] {name, "--help"});
        lines.addAll(List.of(new String[] {"--help"}, new String[] {"help", "run"}, new String[] {"nosuch"}, new String[] {"rn"},
                new String[] {"version"}, new String[] {"version", "extra"}, new String[] {"-q", "version"},
                new String[] {"noc", "--hlep"}, new String[] {"noc", "--rate", "abc"}, new String[] {"run", "--bogus"},
                new String[] {"run", "-c", "nosuch.yaml"}, new String[] {"--debug", "-v", "version"}, new String[] {"describe", "d1.node.clockHz"},
                new String[] {"workload", "list"}, new String[] {"workload", "lst"}, new String[] {"plan", "--help-all"},
                new String[] {"-q", "noc", "--preset", "booksim", "--mesh", "3x3", "--rate", "0.05", "--threads", "1",
                        "--warmup-cycles", "100", "--measure-cycles", "200"}));
        for (String[] args : lines) {
            String[] all = run(true, args);
            String[] one = run(false, args);
            String what = String.join(" ", args);
            assertEquals(all[0], one[0], what + ": exit code");
            // the noc table's last column is the host's wall time
            assertEquals(all[1].replaceAll(" +[0-9.]+\n", "\n"), one[1].replaceAll(" +[0-9.]+\n", "\n"), what + ": output");
            assertEquals(all[2], one[2], what + ": errors");
        }
    }

    /** @return exit code, output and errors of {@code args} on the full command line or on the one built for them */
    private static String[] run(boolean full, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        PrintWriter out = new PrintWriter(o, true);
        PrintWriter err = new PrintWriter(e, true);
        int code = (full ? Main.newCommandLine(out, err) : Main.newCommandLine(out, err, args)).execute(args);
        return new String[] {Integer.toString(code), o.toString(), e.toString()};
    }
}
