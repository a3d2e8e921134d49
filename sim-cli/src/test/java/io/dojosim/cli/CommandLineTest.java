package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Parse-level behaviour of the command line: help, version, describe, unknown options. */
class CommandLineTest {
    @Test
    void helpListsSubcommandsAndExitCodes() {
        CliRunner r = CliRunner.run("--help");
        assertEquals(0, r.exit);
        assertTrue(r.out.contains("describe") && r.out.contains("validate") && r.out.contains("Exit codes"), r.out);
    }

    @Test
    void everySubcommandHasHelp() {
        for (String sub : Main.newCommandLine(new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter()))
                .getSubcommands().keySet()) {
            if (sub.equals("help")) {
                continue;
            }
            CliRunner r = CliRunner.run(sub, "--help");
            assertEquals(0, r.exit, sub + ": " + r);
            assertTrue(r.out.startsWith("Usage: dojosim " + sub), sub + ": " + r.out);
        }
    }

    @Test
    void unknownOptionIsBadInput() {
        CliRunner r = CliRunner.run("describe", "--frobnicate");
        assertEquals(ExitCodes.BAD_INPUT, r.exit);
        assertTrue(r.err.startsWith("error: Unknown option: '--frobnicate'"), r.err);
    }

    @Test
    void threadsOutOfRangeOrNotANumberIsBadInput() {
        for (String cmd : new String[] {"run", "kernel", "noc", "collective"}) {
            CliRunner zero = CliRunner.run(cmd, "--threads", "0");
            assertEquals(ExitCodes.BAD_INPUT, zero.exit, cmd + ": " + zero);
            // collective checks its required options first; the others reach the threads check
            if (!cmd.equals("collective")) assertTrue(zero.err.contains("--threads 0 is out of range; allowed: 1 to 256"), cmd + ": " + zero.err);
            CliRunner word = CliRunner.run(cmd, "--threads", "two");
            assertEquals(ExitCodes.BAD_INPUT, word.exit, cmd + ": " + word);
            assertTrue(word.err.contains("Invalid value for option '--threads'"), cmd + ": " + word.err);
        }
    }

    @Test
    void describePrintsDefaultUnitAndSource() {
        CliRunner r = CliRunner.run("describe", "d1.node");
        assertEquals(0, r.exit);
        assertTrue(r.out.contains("d1.node.clockHz = 2000000000 Hz"), r.out);
        assertTrue(r.out.contains("source: published: HC34-U"), r.out);
        assertTrue(r.out.contains("source: assumed: docs/model/d1-node.md"), r.out);
    }

    @Test
    void describeOfASingleKeyAndOfAnUnknownOne() {
        CliRunner one = CliRunner.run("describe", "d1.chip.activeNodes");
        assertEquals(0, one.exit);
        assertTrue(one.out.contains("354"), one.out);
        CliRunner bad = CliRunner.run("describe", "d9");
        assertEquals(ExitCodes.BAD_INPUT, bad.exit);
        assertTrue(bad.err.contains("no component or key 'd9'") && bad.err.contains("d1.node"), bad.err);
    }

    @Test
    void versionPrintsTheBuildVersion() {
        CliRunner r = CliRunner.run("version");
        assertEquals(0, r.exit);
        assertTrue(r.out.startsWith("dojosim 0."), r.out);
    }
}
