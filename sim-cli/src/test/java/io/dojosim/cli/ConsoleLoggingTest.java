package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConsoleLoggingTest {
    @Test
    void consoleAppenderWritesLevelSimpleLoggerNameAndMessageToStandardError() {
        LoggerContext ctx = new LoggerContext();
        ConsoleLogging.setUp(ctx, Level.INFO);
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> a = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDERR");
        assertEquals("System.err", a.getTarget());
        LoggingEvent ev = new LoggingEvent("x", ctx.getLogger("a.b.Visible"), Level.WARN, "shown {}", null, new Object[] {42});
        assertEquals("WARN  Visible: shown 42" + System.lineSeparator(), new String(a.getEncoder().encode(ev), StandardCharsets.UTF_8));
        LoggingEvent withError = new LoggingEvent("x", ctx.getLogger("a.b.Visible"), Level.ERROR, "failed", new IllegalStateException("boom"), null);
        String text = new String(a.getEncoder().encode(withError), StandardCharsets.UTF_8);
        assertTrue(text.startsWith("ERROR Visible: failed" + System.lineSeparator() + "java.lang.IllegalStateException: boom"), text);
    }

    @Test
    void rootTakesTheRequestedLevelAndSparkStaysQuiet() {
        LoggerContext ctx = new LoggerContext();
        ConsoleLogging.setUp(ctx, Level.ERROR);
        assertEquals(Level.ERROR, ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel());
        assertEquals(Level.WARN, ctx.getLogger("org.apache.spark").getLevel());
        assertEquals(Level.WARN, ctx.getLogger("org.sparkproject").getLevel());
        assertEquals(Level.ERROR, ctx.getLogger("org.apache.hadoop").getLevel());
        assertTrue(!ctx.getLogger("org.apache.spark.SparkContext").isInfoEnabled());
    }
}
