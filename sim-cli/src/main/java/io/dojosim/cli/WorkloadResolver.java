package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.io.CommGroupsFile;
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
        Workload w = WorkloadLoader.load(spec, p, opt);
        String groups = cfg.getString("run.commGroups").trim();
        // ASTRA-sim's communicator-group file: the ranks of each process group the trace names
        return groups.isEmpty() ? w : CommGroupsFile.apply(w, CommGroupsFile.read(java.nio.file.Path.of(groups)));
    }

    /**
     * @return the built-in workload of {@code run.workload} at any replica batch, or null when the
     * workload is a file (its batch is what was recorded)
     */
    public static java.util.function.LongFunction<Workload> atBatch(ResolvedConfig cfg) {
        String spec = cfg.getString("run.workload").trim();
        if (!io.dojosim.workload.gen.Generators.exists(spec)) {
            return null;
        }
        DataType t = DataType.valueOf(cfg.getString("run.dataType").toUpperCase(Locale.ROOT));
        return b -> WorkloadLoader.load(spec, GeneratorParams.defaults().withTypes(t, DataType.FP32).withBatchSize(b), ImportOptions.DEFAULTS);
    }

    /** @return the reference global batch of a built-in {@code run.workload} and its source */
    public static io.dojosim.workload.gen.Generators.Info info(ResolvedConfig cfg) {
        String spec = cfg.getString("run.workload").trim();
        for (io.dojosim.workload.gen.Generators.Info i : io.dojosim.workload.gen.Generators.list()) {
            if (i.name().equals(spec)) return i;
        }
        return null;
    }
}
