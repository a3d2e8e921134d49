package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** {@link LoadAverage} gives the figure of the platform's OperatingSystemMXBean, to the hundredth. */
class LoadAverageTest {
    @Test
    void theFileGivesTheMxBeansFigure() {
        double before = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double read = LoadAverage.oneMinute();
        double after = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        // the kernel updates the figure every 5 s: between the two MXBean reads it is one of them, and
        // the file gives it rounded to hundredths (the MXBean: to 1/2048)
        assertTrue(read >= Math.min(before, after) - 0.005 - 1e-9 && read <= Math.max(before, after) + 0.005 + 1e-9,
                before + " <= " + read + " <= " + after);
    }
}
