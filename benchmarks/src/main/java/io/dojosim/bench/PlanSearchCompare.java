package io.dojosim.bench;

import io.dojosim.core.config.ParamCatalog;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.engine.Workers;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.pod.catalog.ModelCatalog;
import io.dojosim.workload.DataType;
import io.dojosim.workload.Workload;
import io.dojosim.workload.gen.GeneratorParams;
import io.dojosim.workload.gen.Generators;
import java.util.Locale;
import java.util.function.LongFunction;

/**
 * The plan search's choice against an exhaustive simulated search of the same grid (every feasible
 * candidate simulated): prints, per workload and scope, the chosen plan and its samples/s, the
 * exhaustive best and its samples/s, their ratio, and the CPU time of each search
 * (docs/validation.md, "Plan search").
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar io.dojosim.bench.PlanSearchCompare
 * [scope] [workload...]}; scope tile (default), tray or pod; the global batch is the reference
 * recipe's scaled weakly to the scope. The plan space includes the tensor-parallel degree of
 * transformers; the last column counts the candidates the exhaustive search left unsimulated
 * because their simulation is over {@code run.plan.maxSimulatedSize} (its memory bound).
 */
public final class PlanSearchCompare {
    public static void main(String[] args) {
        String scope = args.length > 0 ? args[0] : "tile";
        String[] workloads = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : new String[] {"resnet50", "bert-large", "vision-bev", "gpt3-175b"};
        System.out.println("scope,workload,globalBatch,chosen,chosenSamplesPerSecond,best,bestSamplesPerSecond,ratio,simulatedChosen,simulatedAll,cpuSecondsChosen,cpuSecondsAll,skippedTooLarge");
        java.lang.management.ThreadMXBean tb = java.lang.management.ManagementFactory.getThreadMXBean();
        for (String name : workloads) {
            ResolvedConfig c = new ParamCatalog(ModelCatalog.params()).defaults()
                    .with("pod.system.scope", scope, "bench").with("run.batchScaling", "weak", "bench");
            Generators.Info info = Generators.list().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
            LongFunction<Workload> gen = b -> Generators.generate(name, GeneratorParams.defaults().withTypes(DataType.BF16, DataType.FP32).withBatchSize(b));
            long t0 = tb.getCurrentThreadCpuTime();
            PlanSearch.Result chosen;
            try {
                chosen = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(c), gen, info.globalBatch(), info.globalBatchSource(), Workers.single());
            } catch (io.dojosim.core.config.ConfigException e) {
                System.out.printf(Locale.ROOT, "%s,%s,,\"no plan: %s\",,,,,,,,%n", scope, name, e.getMessage().replace('"', '\''));
                continue;
            }
            long t1 = tb.getCurrentThreadCpuTime();
            PlanSearch.Result all = PlanSearch.search(io.dojosim.pod.bind.SpecBinder.bind(c.with("run.plan.simulate", 64, "bench").with("run.plan.simulateWithin", 0.0, "bench")),
                    gen, info.globalBatch(), info.globalBatchSource(), Workers.single());
            long t2 = tb.getCurrentThreadCpuTime();
            // candidates the exhaustive search did not simulate because run.plan.maxSimulatedSize bounds its memory
            long skipped = all.outcomes().stream().filter(o -> o.why().contains("run.plan.maxSimulatedSize")).count();
            System.out.printf(Locale.ROOT, "%s,%s,%d,\"%s\",%.1f,\"%s\",%.1f,%.4f,%d,%d,%.1f,%.1f,%d%n", scope, name, chosen.globalBatch(),
                    chosen.chosen().candidate().label(), chosen.chosen().samplesPerSecond(), all.chosen().candidate().label(),
                    all.chosen().samplesPerSecond(), chosen.chosen().samplesPerSecond() / all.chosen().samplesPerSecond(),
                    chosen.simulated(), all.simulated(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, skipped);
        }
    }
}
