package io.dojosim.pod.scenario;

import io.dojosim.core.engine.Workers;
import io.dojosim.pod.spec.SystemSpec;
import io.dojosim.pod.step.PlanSearch;
import io.dojosim.workload.Workload;
import java.util.function.LongFunction;

/**
 * The {@code dojosim plan} scenario: the plan search of {@code run} on its own. {@link #run}
 * enumerates the plans of a generated workload at its global batch, estimates each, simulates the
 * best {@code run.plan.simulate} and returns every candidate with its status and reason
 * ({@link PlanSearch.Result}); the command only resolves the workload, calls this and renders.
 *
 * <p>Caveats: the search needs a workload it can generate at any batch per replica (a built-in);
 * the result does not depend on the number of workers.
 */
public final class PlanScenario {
    private PlanScenario() {
    }

    /**
     * What to search.
     *
     * @param workload        the workload's name
     * @param atBatch         the workload at any batch per replica
     * @param referenceBatch  the workload's reference global batch
     * @param referenceSource where the reference batch comes from
     */
    public record Request(String workload, LongFunction<Workload> atBatch, long referenceBatch, String referenceSource) {
    }

    /** The search of one workload. */
    public record Result(String workload, PlanSearch.Result search) {
    }

    /** Runs the search. */
    public static Result run(SystemSpec spec, Request q, Workers workers) {
        return new Result(q.workload(), PlanSearch.search(spec, q.atBatch(), q.referenceBatch(), q.referenceSource(), workers));
    }
}
