package io.dojosim.noc.traffic;

import io.dojosim.core.random.Rng;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.Unit;
import io.dojosim.noc.MeshShape;
import io.dojosim.noc.NocParams;
import io.dojosim.noc.internal.FlitEngine;
import io.dojosim.noc.internal.NetworkEngine;
import io.dojosim.noc.internal.PacketEngine;

/**
 * Open-loop synthetic-traffic experiment with BookSim2's measurement method
 * (trafficmanager.cpp, {@code _SingleSim}), so that numbers are comparable:
 *
 * <ol>
 *   <li>Bernoulli injection: each cycle each node creates a packet with probability
 *       rate / packetFlits into an unbounded source queue; as in BookSim2 the queue is materialised
 *       one packet at a time, the rest kept as creation times (identical timing).</li>
 *   <li>Sample periods of {@code samplePeriodCycles}: the warm-up ({@code warmupCycles}) ends by
 *       clearing statistics; packets materialised from then on are measured. After each period the
 *       cumulative average latency and accepted rate are compared with the previous period; three
 *       periods in a row that both moved less than {@code convergenceThreshold} end the
 *       measurement, as does {@code maxSamplePeriods} in all. With {@code measureCycles > 0} the
 *       window is fixed instead.</li>
 *   <li>In latency mode injection goes on until every measured packet has arrived (the drain).</li>
 *   <li>If, after any period or every 1000 drain cycles, the average latency of measured packets
 *       with packets in flight counted at their age passes {@code latencyThresholdCycles}, the load
 *       is declared saturated and the run ends.</li>
 * </ol>
 *
 * <p>The experiment steps the network cycle by cycle itself, without the event kernel: nothing
 * else runs in it (docs/adr/0010-noc-one-clocked-mesh.md).
 *
 * <p>Caveats: the random streams differ from BookSim2's, so single runs agree within sampling
 * noise, not bit for bit.
 */
public final class SyntheticExperiment {
    private enum State { WARMUP, RUNNING, DRAINING }

    private final MeshShape shape;
    private final NocParams p;
    private final TrafficPattern pattern;
    private final long seed;
    private io.dojosim.core.engine.Workers workers = io.dojosim.core.engine.Workers.single();
    private long lastParallelCycles;

    public SyntheticExperiment(MeshShape shape, NocParams p, TrafficPattern pattern, long seed) {
        this.shape = shape;
        this.p = p;
        this.pattern = pattern;
        this.seed = seed;
    }

    /** Host threads for the flit engine's routers (results do not depend on them). */
    public SyntheticExperiment useWorkers(io.dojosim.core.engine.Workers w) {
        this.workers = java.util.Objects.requireNonNull(w, "workers");
        return this;
    }

    /** @return cycles of the last {@link #run} whose routers were split over more than one lane */
    public long lastParallelCycles() {
        return lastParallelCycles;
    }

    /** Runs one offered load (flits per node per cycle, in (0, 1]). */
    public ExperimentResult run(double rate) {
        io.dojosim.core.config.Check.require(rate > 0 && rate <= 1, "rate must be in (0, 1] flits per node per cycle, was " + rate);
        return new Run(rate).go();
    }

    /** The engine of the selected fidelity for a shape, for benchmarks. */
    public static NetworkEngine engine(MeshShape shape, NocParams p) {
        return p.fidelity() == NocParams.Fidelity.FLIT ? new FlitEngine(shape, p) : new PacketEngine(shape, p);
    }

    private final class Run implements NetworkEngine.Sink, NetworkEngine.Generator {
        final double rate;
        final NetworkEngine e;
        final Rng rng;
        final double prob;
        final double logq;
        final int L = p.packetFlits();
        final int nodes = shape.activeNodes();
        State state = State.WARMUP;
        long now;
        long resetTime;
        long drainTime = Long.MAX_VALUE;
        long acceptedAtReset;
        long acceptedAtDrain = -1;
        long measuredOutstanding;
        final Distribution plat = new Distribution("plat", Unit.CYCLES, "packet latency");
        double nlatSum;
        double hopsSum;
        long[] linkAtReset;
        long[] occAtReset;

        Run(double rate) {
            this.rate = rate;
            this.e = engine(shape, p);
            if (e instanceof FlitEngine fe) fe.useWorkers(workers);
            this.rng = new Rng(seed);
            this.prob = Math.min(1.0, rate / L);
            this.logq = prob < 1.0 ? Math.log1p(-prob) : 0;
            e.setSink(this);
        }

        long gap() {
            if (prob >= 1.0) return 1;
            double u = 1.0 - rng.nextDouble(); // (0, 1]
            return 1 + (long) Math.floor(Math.log(u) / logq);
        }

        @Override
        public long generate(NetworkEngine en, int t, long ctime) {
            boolean record = state == State.RUNNING || (state == State.DRAINING && ctime < drainTime);
            int dst = pattern.dest(t, rng);
            int pkt = en.newPacket(t, dst, L, ctime, record ? 1 : 0);
            if (record) measuredOutstanding++;
            en.enqueue(pkt);
            return ctime + gap();
        }

        @Override
        public void retired(NetworkEngine en, int pkt, long atime) {
            boolean record = en.packetUser(pkt) == 1;
            if (record) measuredOutstanding--;
            if (state == State.WARMUP || record) {
                plat.record(atime - en.packetCtime(pkt));
                nlatSum += atime - en.packetItime(pkt);
                hopsSum += en.packetHops(pkt);
            }
        }

        void clearStats() {
            plat.reset(0);
            nlatSum = 0;
            hopsSum = 0;
            resetTime = now;
            acceptedAtReset = accepted();
            linkAtReset = e.linkFlits.clone();
            long[] occ = e.occupancyFlitCycles();
            occAtReset = occ == null ? null : occ.clone();
        }

        long accepted() {
            long s = 0;
            for (long v : e.ejectedFlits) s += v;
            return s;
        }

        void steps(long n) {
            long end = now + n;
            while (now < end) {
                e.step(now);
                now++;
            }
        }

        boolean overThreshold() {
            double lat = plat.mean() * plat.count() + (double) now * e.flitsInFlight - e.ctimeSumInFlight;
            double cnt = plat.count() + e.flitsInFlight;
            return cnt > 0 && lat / cnt > p.measure().latencyThresholdCycles();
        }

        boolean draining() {
            return measuredOutstanding > 0 || e.nextGeneratorCycle() < drainTime;
        }

        ExperimentResult go() {
            long t0 = System.nanoTime();
            int[] terms = shape.activeNodeIds();
            int k = 0;
            for (int t : terms) if (pattern.sends(t)) k++;
            int[] senders = new int[k];
            long[] first = new long[k];
            k = 0;
            for (int t : terms) {
                if (pattern.sends(t)) {
                    senders[k] = t;
                    first[k++] = gap() - 1;
                }
            }
            e.setGenerator(this, senders, first);
            NocParams.Measurement m = p.measure();
            long period = m.samplePeriodCycles();
            boolean saturated = false;
            int phases = 0;
            if (m.measureCycles() > 0) {
                // fixed windows: warm-up, one measurement window, checked every period
                steps(m.warmupCycles());
                phases = (int) (m.warmupCycles() / period);
                state = State.RUNNING;
                clearStats();
                long left = m.measureCycles();
                while (left > 0) {
                    long n = Math.min(period, left);
                    steps(n);
                    left -= n;
                    phases++;
                    saturated |= overThreshold();
                    if (saturated && !m.throughputMode()) break;
                }
            } else {
                int warmupPeriods = (int) Math.max(0, (m.warmupCycles() + period - 1) / period);
                int converged = 0;
                double prevLat = 0;
                double prevAcc = 0;
                boolean clearLast = false;
                while (phases < m.maxSamplePeriods() && (state != State.RUNNING || converged < 3)) {
                    if (clearLast || (state == State.WARMUP && phases % 2 == 0)) {
                        clearLast = false;
                        clearStats();
                    }
                    steps(period);
                    double lat = plat.mean();
                    double acc = (double) (accepted() - acceptedAtReset) / (now - resetTime) / nodes;
                    double latChange = Math.abs((lat - prevLat) / lat);
                    double accChange = Math.abs((acc - prevAcc) / acc);
                    prevLat = lat;
                    prevAcc = acc;
                    if (overThreshold()) {
                        saturated = true;
                        if (!m.throughputMode()) { // BookSim2 only stops latency runs
                            phases++;
                            break;
                        }
                    }
                    if (state == State.WARMUP) {
                        if (phases + 1 >= warmupPeriods) {
                            clearLast = true;
                            state = State.RUNNING;
                        }
                    } else if ((m.throughputMode() || latChange <= m.convergenceThreshold())
                            && accChange <= m.convergenceThreshold()) { // throughput runs ignore latency (BookSim2)
                        converged++;
                    } else {
                        converged = 0;
                    }
                    phases++;
                }
                if (state == State.WARMUP && !saturated) { // measurement never started (too few periods)
                    state = State.RUNNING;
                    clearStats();
                }
                // saturated during the warm-up: report what the warm-up measured since its last clear,
                // as BookSim2 prints its last sample
            }
            state = State.DRAINING;
            drainTime = now;
            acceptedAtDrain = accepted();
            long[] linkAtDrain = e.linkFlits.clone();
            long[] occ = e.occupancyFlitCycles();
            long[] occAtDrain = occ == null ? null : occ.clone();
            if (!saturated && !m.throughputMode()) {
                long limit = now + Math.max(100_000L, 20 * (now - resetTime));
                long drained = 0;
                while (draining()) {
                    e.step(now);
                    now++;
                    if (++drained % 1000 == 0 && overThreshold()) {
                        saturated = true;
                        break;
                    }
                    if (now > limit) {
                        saturated = true;
                        break;
                    }
                }
            }
            e.stopGenerator();
            long window = Math.max(1, drainTime - resetTime);
            double accRate = (double) (acceptedAtDrain - acceptedAtReset) / window / nodes;
            double maxLink = 0;
            for (int r = 0; r < shape.sites(); r++) {
                for (int d = MeshShape.NORTH; d <= MeshShape.WEST; d++) {
                    int i = r * MeshShape.PORTS + d;
                    maxLink = Math.max(maxLink, (double) (linkAtDrain[i] - linkAtReset[i]) / window);
                }
            }
            double occAvg = 0;
            if (occAtDrain != null) {
                long s = 0;
                for (int r = 0; r < occAtDrain.length; r++) s += occAtDrain[r] - occAtReset[r];
                occAvg = (double) s / window / shape.activeNodes();
            }
            long cnt = plat.count();
            double wall = (System.nanoTime() - t0) / 1e9;
            if (e instanceof FlitEngine fe) {
                lastParallelCycles = fe.parallelCycles();
            }
            return new ExperimentResult(rate, plat.mean(), cnt == 0 ? 0 : nlatSum / cnt, plat.percentile(50),
                    plat.percentile(99), plat.max(), accRate, cnt == 0 ? 0 : hopsSum / cnt, saturated, cnt, phases, now,
                    shape.activeNodes(), maxLink, occAvg, wall);
        }
    }
}
