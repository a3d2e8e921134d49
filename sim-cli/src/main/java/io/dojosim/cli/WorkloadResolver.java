package io.dojosim.cli;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.Locale;

/**
 * Turns the {@code run.workload} value into a workload: a built-in generator name (with
 * {@code run.batchPerReplica} and {@code run.dataType}), or a file read by the importer its
 * extension names.
 */
public final class WorkloadResolver {
    private WorkloadResolver() {
    }

    public static Workload resolve(ResolvedConfig cfg) {
        String spec = cfg.getString("run.workload").trim();
        if (Generators.exists(spec)) {
            DataType t = DataType.valueOf(cfg.getString("run.dataType").toUpperCase(Locale.ROOT));
            GeneratorParams p = GeneratorParams.defaults().withTypes(t, DataType.FP32).withBatchSize(cfg.getLong("run.batchPerReplica"));
            return Generators.generate(spec, p);
        }
        return WorkloadFiles.read(spec);
    }

    /** @return a sentence listing the built-in names, for errors */
    static String builtins() {
        StringBuilder sb = new StringBuilder();
        for (Generators.Info i : Generators.list()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(i.name());
        }
        return sb.toString();
    }

    static ConfigException unknown(String spec) {
        return new ConfigException("workload '" + spec + "' is neither a built-in workload (" + builtins()
                + ") nor a readable file (.yaml, .json, Chakra .et or prefix of prefix.N.et, ASTRA-sim .txt)");
    }
}
