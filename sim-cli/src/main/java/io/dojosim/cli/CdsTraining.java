package io.dojosim.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The training run of the launcher's class-data-sharing archive: runs a few small commands in one
 * JVM (a flit-level {@code noc} point, a packet-level one, and the CI tile training step) on the
 * full command line (every subcommand's model built), so that the JVM started with
 * {@code -XX:DumpLoadedClassList} lists the classes the usual commands load. The launcher then
 * dumps those classes with {@code -Xshare:dump} (a static archive, ADR 0114), once per built jar
 * (docs/performance.md, "Start-up of a command").
 *
 * <p>Usage: {@code java -XX:DumpLoadedClassList=LIST -cp dojosim.jar io.dojosim.cli.CdsTraining
 * OUT_DIR PROJECT_ROOT}. Output goes nowhere; the exit code is 0 only if every command succeeded.
 *
 * <p>Caveats: not for {@code -XX:ArchiveClassesAtExit}: on JDK 17 a dynamic archive copies the
 * methods the JIT still had queued at exit with their "queued" mark, and a run using it never
 * compiles them (JDK-8306460; the README's main command ran 3x slower). The archive only speeds
 * up class loading, it never changes a result.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: CdsTraining OUT_DIR PROJECT_ROOT");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        Path tile = Path.of(args[1], "configs", "training-tile.yaml");
        int failed = 0;
        failed += run("noc", "-q", "--preset", "booksim", "--mesh", "4x4", "--rate", "0.05", "--threads", "1");
        failed += run("noc", "-q", "--preset", "booksim", "--mesh", "4x4", "--rate", "0.05", "--fidelity", "packet", "--threads", "1");
        if (Files.isRegularFile(tile)) {
            failed += run("run", "-q", "-c", tile.toString(), "-w", "resnet50", "--threads", "1", "-o", out.resolve("run").toString());
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private static int run(String... args) {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return Main.newCommandLine(sink, sink).execute(args) == 0 ? 0 : 1;
    }
}
