package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.io.ImportOptions;
import io.dojosim.workload.io.WorkloadLoader;
import java.util.Locale;

/**
 * Turns the {@code run.workload} value into a workload through sim-workload's
 * {@link WorkloadLoader}: a built-in generator name or a Calculon model file (both take
 * {@code run.batchPerReplica} and {@code run.dataType}), or a workload file (own YAML/JSON, Chakra
 * trace or its JSON forms, PyTorch execution trace, ASTRA-sim text; a trace takes
 * {@code trace.replayScale} and infers its batch). Unknown names and unreadable files are user
 * errors that list what is allowed.
 */
public final class WorkloadResolver {
    private WorkloadResolver() {
    }

    public static Workload resolve(ResolvedConfig cfg) {
        String spec = cfg.getString("run.workload").trim();
        DataType t = DataType.valueOf(cfg.getString("run.dataType").toUpperCase(Locale.ROOT));
        GeneratorParams p = GeneratorParams.defaults().withTypes(t, DataType.FP32).withBatchSize(cfg.getLong("run.batchPerReplica"));
        ImportOptions opt = new ImportOptions(ImportOptions.DEFAULTS.chakraDurationUnitPs(), ImportOptions.DEFAULTS.astraCyclePs(),
                cfg.values().containsKey("trace.replayScale") ? cfg.getDouble("trace.replayScale") : 1.0, 0);
        return WorkloadLoader.load(spec, p, opt);
    }
}
