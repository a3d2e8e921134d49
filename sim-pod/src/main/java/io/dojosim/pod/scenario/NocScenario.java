package io.dojosim.pod.scenario;

import io.dojosim.core.config.ConfigException;
import io.dojosim.core.engine.Workers;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.traffic.ExperimentResult;
import io.dojosim.noc.traffic.SyntheticExperiment;
import io.dojosim.noc.traffic.TrafficPattern;
import java.util.List;

/**
 * The {@code dojosim noc} scenario: a synthetic-traffic experiment on one mesh, one typed
 * {@link ExperimentResult} per offered load, with BookSim2's measurement method
 * (docs/model/noc.md). {@link #bind} checks the request and builds the experiment from the
 * network's record ({@link NocParams}, {@code noc.*}); {@link #run} measures one offered load; the
 * command parses, picks the mesh, calls these and renders each row as it arrives.
 *
 * <p>Caveats: {@link ExperimentResult#wallSeconds()} and
 * {@link ExperimentResult#routerCyclesPerSecond()} measure the host; every other field depends
 * only on the request, the record and the seed, whatever the workers' thread count.
 */
public final class NocScenario {
    private final Request request;
    private final TrafficPattern pattern;
    private final SyntheticExperiment experiment;

    /**
     * What to run.
     *
     * @param shape   the mesh, with its disabled sites
     * @param traffic the traffic pattern's name ({@link TrafficPattern#parse})
     * @param rates   offered loads in flits/node/cycle, each in (0, 1], in the order to run them
     * @param seed    {@code sim.seed}
     */
    public record Request(MeshShape shape, String traffic, List<Double> rates, long seed) {
        /** @throws ConfigException for no rate or a rate outside (0, 1] */
        public Request {
            rates = List.copyOf(rates);
            if (rates.isEmpty()) throw new ConfigException("give at least one --rate R or --rates FROM:TO:STEP (flits/node/cycle)");
            for (double r : rates) {
                if (!(r > 0 && r <= 1)) throw new ConfigException("rate " + r + " is outside (0, 1] flits/node/cycle");
            }
        }
    }

    private NocScenario(Request request, TrafficPattern pattern, SyntheticExperiment experiment) {
        this.request = request;
        this.pattern = pattern;
        this.experiment = experiment;
    }

    /**
     * Binds a request to the network's parameters.
     *
     * @throws ConfigException for an unknown traffic pattern or one the mesh cannot carry
     */
    public static NocScenario bind(NocParams p, Request q) {
        TrafficPattern pattern = TrafficPattern.parse(q.traffic(), q.shape());
        return new NocScenario(q, pattern, new SyntheticExperiment(q.shape(), p, pattern, q.seed()));
    }

    /** @return the request bound */
    public Request request() {
        return request;
    }

    /** @return the traffic pattern's name as the experiment reports it */
    public String patternName() {
        return pattern.name();
    }

    /** @return the experiment at one offered load, on these workers */
    public ExperimentResult run(double rate, Workers workers) {
        return experiment.useWorkers(workers).run(rate);
    }
}
