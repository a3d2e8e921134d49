package io.dojosim.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration for the command line, set up in code: one console appender on standard
 * error ({@code LEVEL logger: message}), root at INFO (-q: ERROR, -v: DEBUG, -vv: TRACE), and the optional Spark
 * engine's start-up chatter (sim-spark) kept out of the sweep output. Found by Logback through
 * {@code META-INF/services}, before it would look for a {@code logback.xml}: parsing an XML file
 * loaded about 640 classes (an XML parser and Logback's Joran) and cost about 0.2 to 0.3 s of CPU on
 * every command (docs/performance.md, ADR 0110).
 *
 * <p>Logback starts only when something first asks SLF4J for a logger (dojosim's own commands log
 * nothing; the Spark engine does): {@link RootLevel#set} records the level -q / -v ask for and
 * applies it then, so a command that logs nothing loads none of Logback.
 *
 * <p>Caveats: a file named by {@code -Dlogback.configurationFile} still wins (this configurator
 * then steps aside, and that file's root level holds, -q and -v included); a {@code logback.xml}
 * on the class path alone does not.
 */
public final class ConsoleLogging extends ContextAwareBase implements Configurator {
    /**
     * The root level -q / -v ask for, by name, kept in a class of its own that names no Logback
     * type: recording it loads neither Logback nor {@link ConsoleLogging} (about a dozen classes
     * a command that logs nothing does not need). Applied when Logback starts, or at once if it
     * has.
     */
    static final class RootLevel {
        private static volatile String name = "INFO";
        private static volatile java.util.function.Consumer<String> started;

        private RootLevel() {
        }

        /** Sets the root level (ERROR, INFO, DEBUG, TRACE) now if Logback has started, otherwise when it starts. */
        static void set(String levelName) {
            name = levelName;
            java.util.function.Consumer<String> s = started;
            if (s != null) s.accept(levelName);
        }
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        setUp(context, Level.toLevel(RootLevel.name));
        RootLevel.started = n -> context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(n));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Adds the console appender to {@code context} and sets the root and third-party levels. */
    static void setUp(LoggerContext context, Level root) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%-5level %logger{0}: %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        ch.qos.logback.classic.Logger r = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        r.setLevel(root);
        r.addAppender(stderr);
        context.getLogger("org.apache.spark").setLevel(Level.WARN);
        context.getLogger("org.sparkproject").setLevel(Level.WARN);
        context.getLogger("org.apache.hadoop").setLevel(Level.ERROR);
    }
}
