package io.dojosim.cli;

import io.dojosim.workload.Workload;
import io.dojosim.workload.io.WorkloadLoader;

/** Reads workload files by their extension (the importers live in sim-workload's io package). */
final class WorkloadFiles {
    private WorkloadFiles() {
    }

    static Workload read(String spec) {
        return WorkloadLoader.load(spec);
    }
}
