package io.dojosim.cli;

import io.dojosim.workload.Workload;
import io.dojosim.workload.io.WorkloadLoader;

/**
 * Reads a workload file by its name through sim-workload's {@link WorkloadLoader}: dojosim's own
 * YAML/JSON format, a Chakra trace ({@code .et}, {@code .et.gz} or the prefix of a
 * {@code prefix.N.et} set), or an ASTRA-sim 1.0 text workload ({@code .txt}).
 */
public final class WorkloadFiles {
    private WorkloadFiles() {
    }

    public static Workload read(String spec) {
        return WorkloadLoader.load(spec);
    }
}
