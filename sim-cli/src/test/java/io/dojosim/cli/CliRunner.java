package io.dojosim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process and captures exit code, standard output and standard error. */
final class CliRunner {
    final int exit;
    final String out;
    final String err;

    private CliRunner(int exit, String out, String err) {
        this.exit = exit;
        this.out = out;
        this.err = err;
    }

    static CliRunner run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.newCommandLine(new PrintWriter(o, true), new PrintWriter(e, true), args).execute(args);
        return new CliRunner(code, o.toString(), e.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}
