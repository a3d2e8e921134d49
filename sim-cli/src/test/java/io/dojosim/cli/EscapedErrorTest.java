package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * An Error thrown by a command (out of memory, a stack overflow) leaves as one line and exit code 4,
 * never as picocli's stack trace with exit code 1 (a 1024 x 1024 flit mesh with a 1000-cycle link
 * once did).
 */
class EscapedErrorTest {
    @CommandLine.Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final Error error;

        Boom(Error error) {
            this.error = error;
        }

        @Override
        public Integer call() {
            throw error;
        }
    }

    private static String[] run(Error e) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        cl.addSubcommand("boom", new Boom(e));
        int code = cl.execute("boom");
        return new String[] {Integer.toString(code), err.toString()};
    }

    @Test
    void outOfMemoryIsOneLineWithTheHeapAndExitFour() {
        String[] r = run(new OutOfMemoryError("Java heap space"));
        assertEquals(Integer.toString(ExitCodes.INTERNAL), r[0], r[1]);
        assertTrue(r[1].startsWith("internal error: out of memory (the Java heap holds "), r[1]);
        assertTrue(r[1].contains("DOJOSIM_JAVA_OPTS=-Xmx"), r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
    }

    @Test
    void anotherErrorIsOneLineWithExitFour() {
        String[] r = run(new StackOverflowError());
        assertEquals(Integer.toString(ExitCodes.INTERNAL), r[0], r[1]);
        assertTrue(r[1].startsWith("internal error: java.lang.StackOverflowError"), r[1]);
        assertFalse(r[1].contains("\tat "), "no stack trace: " + r[1]);
    }
}
