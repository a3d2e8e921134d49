package io.dojosim.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The host's one-minute load average (for {@link ThreadsOption#defaultThreads}): the first field
 * of {@code /proc/loadavg} where the host has one, else the platform's
 * {@code OperatingSystemMXBean}, which on Linux gives the same figure (to 1/2048 where the file
 * rounds it to hundredths: a default thread count can differ only when the load average is
 * within 0.005 of a half core). Reading the file directly
 * spares a short command the JMX platform beans (about 150 classes of the JDK, not in its
 * class-data archive) that {@code ManagementFactory} loads to answer.
 *
 * <p>Caveats: negative when the host gives no load average (as the MXBean).
 */
final class LoadAverage {
    private LoadAverage() {
    }

    /** @return the one-minute load average, or a negative number when the host gives none */
    static double oneMinute() {
        try (FileInputStream in = new FileInputStream("/proc/loadavg")) {
            String s = new String(in.readNBytes(128), StandardCharsets.US_ASCII);
            int end = s.indexOf(' ');
            return Double.parseDouble(end < 0 ? s.trim() : s.substring(0, end));
        } catch (IOException | NumberFormatException e) {
            return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        }
    }
}
