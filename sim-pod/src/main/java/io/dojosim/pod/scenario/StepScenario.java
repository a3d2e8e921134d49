package io.dojosim.pod.scenario;

import io.dojosim.core.engine.Workers;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.pod.step.StepExecutor;
import io.dojosim.pod.step.StepRunner;
import io.dojosim.pod.step.StepSummary;
import io.dojosim.workload.Workload;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * The {@code dojosim run} scenario: training steps of a workload on the machine a system spec
 * describes. {@link #run} searches the plan when the spec leaves it open and the workload can be
 * generated at any batch ({@link PlanSearch}, docs/model/step.md#plan-search), runs the steps
 * ({@link StepRunner}) and accounts the result at the global batch; the command only resolves the
 * workload, calls this and renders the typed {@link Result}.
 *
 * <p>Caveats: with a plan search and no timeline the reported run is the search's simulation of the
 * chosen plan (not run again); a timeline runs the chosen plan once more with the sink attached.
 * The result does not depend on the number of workers.
 */
public final class StepScenario {
    private StepScenario() {
    }

    /**
     * What to run.
     *
     * @param workload        the workload when it is fixed (a file, a trace, or a built-in at the config's batch); null only with {@code atBatch}
     * @param atBatch         the workload at any batch per replica (a built-in generator), or null for a fixed workload
     * @param referenceBatch  the workload's reference global batch (with {@code atBatch})
     * @param referenceSource where the reference batch comes from (with {@code atBatch})
     * @param timeline        the sink of the reported run's timeline, given the workload that runs; null for none
     */
    public record Request(Workload workload, LongFunction<Workload> atBatch, long referenceBatch, String referenceSource,
                          Function<Workload, StepExecutor.TimelineSink> timeline) {
    }

    /**
     * What a run produced.
     *
     * @param summary  the run's summary as reported: at the global batch, with the plan search when one ran
     * @param report   the simulated run (its summary before the global-batch accounting, statistics, plan, heatmaps)
     * @param search   the plan search, or null when the spec fixed the plan
     * @param spec     the system that ran (with the chosen plan fixed after a search)
     * @param workload the workload that ran (at the chosen replica batch after a search)
     */
    public record Result(StepSummary summary, StepRunner.Report report, PlanSearch.Result search, SystemSpec spec, Workload workload) {
    }

    /** @return whether {@link #run} will search the plan for this request */
    public static boolean searches(SystemSpec spec, Request q) {
        return q.atBatch() != null && PlanSearch.applies(spec);
    }

    /** Runs the steps (after the plan search when {@link #searches}). */
    public static Result run(SystemSpec spec, Request q, Workers workers) {
        PlanSearch.Result search = null;
        Workload w = q.workload();
        if (searches(spec, q)) {
            search = PlanSearch.search(spec, q.atBatch(), q.referenceBatch(), q.referenceSource(), workers);
            spec = search.chosenSpec();
            w = search.chosenWorkload();
        }
        StepRunner.Report report;
        if (q.timeline() != null) {
            report = StepRunner.run(spec, w, q.timeline().apply(w), workers);
        } else if (search != null) {
            report = search.chosenReport();
        } else {
            report = StepRunner.run(spec, w, StepExecutor.TimelineSink.NONE, workers);
        }
        StepSummary s;
        if (search != null) {
            s = PlanSearch.annotate(report.summary(), search, 10);
        } else if (spec.run().globalBatch() > 0 && q.atBatch() == null) {
            // a trace did what it recorded: the key tells its samples per step, when the batch
            // inferred from its shapes is not the one its ranks ran
            s = PlanSearch.traceBatch(report.summary(), spec.run().globalBatch());
        } else if (spec.run().globalBatch() > 0) {
            s = PlanSearch.globalBatch(report.summary(), spec.run().globalBatch(), "run.globalBatch");
        } else {
            s = report.summary();
        }
        // samples and FLOPs per step may have been restated (global batch padding)
        return new Result(s.withEnergyRates(), report, search, spec, w);
    }
}
