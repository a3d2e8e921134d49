package io.dojosim.noc;

import static io.dojosim.core.config.Check.require;

import io.dojosim.core.config.ParamGroup;
import io.dojosim.core.config.ParamTable;
import io.dojosim.core.util.Records;
import java.util.List;

/**
 * Parameters of the 2D-mesh network-on-chip ({@code noc.*}): router pipeline, virtual channels,
 * buffers, channels, routing, fidelity and the synthetic-traffic measurement method.
 *
 * <p>Source: flit and packet size are published (64 B, HC34-U via TNP22); everything about the
 * router is unpublished and argued in docs/model/noc.md#assumptions (dojo-facts section 10). The
 * measurement settings copy BookSim2's sample-period method (docs/model/noc.md#measurement).
 *
 * <p>Caveats: a hop costs {@code routingDelay + vcAllocDelay + swAllocDelay + stDelay +
 * linkLatency} cycles, one less with speculative switch allocation; the D1 defaults give 2
 * cycles (1-cycle router with VA and SA in the same cycle, 1-cycle link), as dojo-facts s10
 * reads the "single cycle per hop" transcription.
 *
 * @param clockHz                 router clock in Hz
 * @param routingDelayCycles      route computation stage (0 = lookahead routing)
 * @param vcAllocDelayCycles      VC allocation stage, at least 1
 * @param swAllocDelayCycles      switch allocation stage, at least 1
 * @param stDelayCycles           switch traversal stage (0 = the flit leaves in the SA cycle)
 * @param speculativeSwitchAlloc  a head requests the switch in the last cycle of its VC allocation
 *                                (speculatively, below non-speculative requests) instead of after it
 * @param linkLatencyCycles       router-to-router, injection and ejection channel latency, at least 1
 * @param creditDelayCycles       extra cycles before a returned credit is usable upstream
 * @param vcs                     virtual channels per input port
 * @param bufferFlits             buffer depth of each virtual channel, in flits
 * @param flitBytes               flit payload in bytes
 * @param packetFlits             flits per packet (messages are split into packets of this size)
 * @param routing                 xy, yx or table
 * @param fidelity                flit or packet
 * @param injectionFlitsPerCycle  injection channel bandwidth, at most 1
 * @param ejectionFlitsPerCycle   ejection channel bandwidth, at most 1
 * @param measure                 the synthetic-traffic measurement method
 * @param deadLinks               failed mesh links ({@code noc.deadLinks}); traffic routes around them
 *                                (up*&#47;down* routes, docs/model/noc.md#dead-links)
 */
public record NocParams(long clockHz, int routingDelayCycles, int vcAllocDelayCycles, int swAllocDelayCycles,
                        int stDelayCycles, boolean speculativeSwitchAlloc, int linkLatencyCycles, int creditDelayCycles, int vcs, int bufferFlits,
                        int flitBytes, int packetFlits, Routing routing, Fidelity fidelity,
                        double injectionFlitsPerCycle, double ejectionFlitsPerCycle, Measurement measure, List<MeshLink> deadLinks) {

    /** Route computation in the routers. */
    public enum Routing { XY, YX, TABLE }

    /** How finely the network is modelled. */
    public enum Fidelity { FLIT, PACKET }

    /** Doc page of this model. */
    public static final String DOC = "docs/model/noc.md";

    public NocParams {
        require(clockHz >= 1_000_000L, "noc.clockHz must be >= 1 MHz");
        require(routingDelayCycles >= 0, "noc.routingDelayCycles must be >= 0");
        require(vcAllocDelayCycles >= 1, "noc.vcAllocDelayCycles must be >= 1");
        require(swAllocDelayCycles >= 1, "noc.swAllocDelayCycles must be >= 1");
        require(stDelayCycles >= 0, "noc.stDelayCycles must be >= 0");
        require(linkLatencyCycles >= 1, "noc.linkLatencyCycles must be >= 1 (links carry the lookahead)");
        require(creditDelayCycles >= 0, "noc.creditDelayCycles must be >= 0");
        require(vcs >= 1 && vcs <= 8, "noc.vcs must be in [1, 8]");
        require(bufferFlits >= 1 && bufferFlits <= 1024, "noc.bufferFlits must be in [1, 1024]");
        require(flitBytes >= 1, "noc.flitBytes must be >= 1");
        require(packetFlits >= 1 && packetFlits <= 1024, "noc.packetFlits must be in [1, 1024]");
        require(routing != null && fidelity != null && measure != null, "noc: routing, fidelity and measure are required");
        require(routing != Routing.TABLE || vcs >= 2,
                "noc.routing = table needs noc.vcs >= 2 (two VC classes keep detours deadlock-free)");
        require(injectionFlitsPerCycle > 0 && injectionFlitsPerCycle <= 1, "noc.injectionFlitsPerCycle must be in (0, 1]");
        require(ejectionFlitsPerCycle > 0 && ejectionFlitsPerCycle <= 1, "noc.ejectionFlitsPerCycle must be in (0, 1]");
        deadLinks = List.copyOf(deadLinks);
    }

    /** Parameters with no dead link. */
    public NocParams(long clockHz, int routingDelayCycles, int vcAllocDelayCycles, int swAllocDelayCycles,
                     int stDelayCycles, boolean speculativeSwitchAlloc, int linkLatencyCycles, int creditDelayCycles, int vcs, int bufferFlits,
                     int flitBytes, int packetFlits, Routing routing, Fidelity fidelity,
                     double injectionFlitsPerCycle, double ejectionFlitsPerCycle, Measurement measure) {
        this(clockHz, routingDelayCycles, vcAllocDelayCycles, swAllocDelayCycles, stDelayCycles, speculativeSwitchAlloc,
                linkLatencyCycles, creditDelayCycles, vcs, bufferFlits, flitBytes, packetFlits, routing, fidelity,
                injectionFlitsPerCycle, ejectionFlitsPerCycle, measure, List.of());
    }

    /** The components before {@code deadLinks}, for {@link #toString}. */
    private record Fields(long clockHz, int routingDelayCycles, int vcAllocDelayCycles, int swAllocDelayCycles,
                          int stDelayCycles, boolean speculativeSwitchAlloc, int linkLatencyCycles, int creditDelayCycles, int vcs, int bufferFlits,
                          int flitBytes, int packetFlits, Routing routing, Fidelity fidelity,
                          double injectionFlitsPerCycle, double ejectionFlitsPerCycle, Measurement measure) {
    }

    /**
     * The record's usual form, without {@code deadLinks} when there is none: the calibration
     * table's machine fingerprint (sim-d1 ChipCalibration) hashes this text, and a mesh without
     * dead links is the machine the shipped table was measured on.
     */
    @Override
    public String toString() {
        String s = "NocParams" + new Fields(clockHz, routingDelayCycles, vcAllocDelayCycles, swAllocDelayCycles, stDelayCycles,
                speculativeSwitchAlloc, linkLatencyCycles, creditDelayCycles, vcs, bufferFlits, flitBytes, packetFlits, routing, fidelity,
                injectionFlitsPerCycle, ejectionFlitsPerCycle, measure).toString().substring("Fields".length());
        return deadLinks.isEmpty() ? s : s.substring(0, s.length() - 1) + ", deadLinks=" + deadLinks + "]";
    }

    /** @return these parameters with other dead links */
    public NocParams withDeadLinks(List<MeshLink> links) {
        return new NocParams(clockHz, routingDelayCycles, vcAllocDelayCycles, swAllocDelayCycles, stDelayCycles,
                speculativeSwitchAlloc, linkLatencyCycles, creditDelayCycles, vcs, bufferFlits, flitBytes, packetFlits, routing, fidelity,
                injectionFlitsPerCycle, ejectionFlitsPerCycle, measure, links);
    }

    /** Cycles a head flit spends in one router with no contention. */
    public int routerPipelineCycles() {
        return routingDelayCycles + vaToSaCycles() + swAllocDelayCycles + stDelayCycles;
    }

    /**
     * Cycles from a head's VC-allocation grant to its first switch-allocation request:
     * {@code vcAllocDelayCycles}, one less with speculative switch allocation (the two overlap
     * by one cycle; with 1-cycle stages they run in the same cycle).
     */
    public int vaToSaCycles() {
        return vcAllocDelayCycles - (speculativeSwitchAlloc ? 1 : 0);
    }

    /** Clock period in picoseconds (rounded as {@link io.dojosim.core.time.ClockDomain} does). */
    public long periodPs() {
        return (1_000_000_000_000L + clockHz / 2) / clockHz;
    }

    /**
     * Zero-load packet latency in cycles for a Manhattan distance of {@code hops} links and a
     * packet of {@code flits}: creation to tail ejection, as BookSim2 measures it.
     * {@code (P + d) * D + P + 2d + 1 + (L - 1)} with P the router pipeline and d the link latency.
     */
    public long zeroLoadLatencyCycles(int manhattanHops, int flits) {
        long p = routerPipelineCycles();
        long d = linkLatencyCycles;
        return (p + d) * manhattanHops + p + 2 * d + 1 + (flits - 1);
    }

    public NocParams withSpeculativeSwitchAlloc(boolean b) {
        return Records.with(this, "speculativeSwitchAlloc", b);
    }

    public NocParams withPacketFlits(int n) {
        return Records.with(this, "packetFlits", n);
    }

    public NocParams withBufferFlits(int n) {
        return Records.with(this, "bufferFlits", n);
    }

    public NocParams withVcs(int n) {
        return Records.with(this, "vcs", n);
    }

    public NocParams withRouting(Routing r) {
        return Records.with(this, "routing", r);
    }

    public NocParams withFidelity(Fidelity f) {
        return Records.with(this, "fidelity", f);
    }

    /** @return these parameters with other router stage delays (cycles) */
    public NocParams withStageDelays(int routing, int vcAlloc, int swAlloc, int st) {
        return Records.with(this, "routingDelayCycles", routing, "vcAllocDelayCycles", vcAlloc, "swAllocDelayCycles", swAlloc, "stDelayCycles", st);
    }

    public NocParams withMeasure(Measurement m) {
        return Records.with(this, "measure", m);
    }

    /**
     * BookSim2's measurement method (trafficmanager): warm-up, sample periods with a convergence
     * test, a drain of measured packets, and a latency threshold that declares a load unstable.
     *
     * @param warmupCycles          cycles of traffic before statistics are cleared
     * @param measureCycles         0: sample periods until converged (BookSim); &gt; 0: a fixed window
     * @param samplePeriodCycles    length of a sample period
     * @param maxSamplePeriods      periods in all, warm-up included, before measurement stops (BookSim max_samples)
     * @param convergenceThreshold  relative change of latency and accepted rate under which a period counts as converged
     * @param latencyThresholdCycles average latency (in-flight packets at their age) above which the load is unstable
     * @param throughputMode        true: no drain, report accepted throughput past saturation (BookSim sim_type=throughput)
     */
    public record Measurement(long warmupCycles, long measureCycles, long samplePeriodCycles, int maxSamplePeriods,
                              double convergenceThreshold, double latencyThresholdCycles, boolean throughputMode) {
        public Measurement {
            require(warmupCycles >= 0, "noc.measure.warmupCycles must be >= 0");
            require(measureCycles >= 0, "noc.measure.measureCycles must be >= 0");
            require(samplePeriodCycles >= 1, "noc.measure.samplePeriodCycles must be >= 1");
            require(maxSamplePeriods >= 1, "noc.measure.maxSamplePeriods must be >= 1");
            require(convergenceThreshold > 0, "noc.measure.convergenceThreshold must be > 0");
            require(latencyThresholdCycles > 0, "noc.measure.latencyThresholdCycles must be > 0");
        }

        /** BookSim2's defaults as mesh_base.cfg sets them. */
        public static Measurement booksim() {
            return new Measurement(3000, 0, 1000, 10, 0.05, 500.0, false);
        }

        public Measurement withWindows(long warmup, long measure) {
            return new Measurement(warmup, measure, samplePeriodCycles, maxSamplePeriods, convergenceThreshold,
                    latencyThresholdCycles, throughputMode);
        }

        public Measurement withThroughputMode(boolean t) {
            return new Measurement(warmupCycles, measureCycles, samplePeriodCycles, maxSamplePeriods, convergenceThreshold,
                    latencyThresholdCycles, t);
        }
    }

    /** The {@code noc} parameter group, declared by the table {@code noc.params} beside this class ({@link ParamTable}); {@code dojosim describe noc} prints it. */
    public static final ParamGroup GROUP = ParamTable.read(NocParams.class, "noc.params");

    /** The D1 defaults of {@link #GROUP}, without a config. */
    public static NocParams defaults() {
        return new NocParams(2_000_000_000L, 0, 1, 1, 0, true, 1, 0, 2, 8, 64, 1, Routing.XY, Fidelity.FLIT, 1.0, 1.0,
                new Measurement(3000, 0, 1000, 10, 0.05, 500, false));
    }

    /**
     * BookSim2's mesh_base.cfg: 4-stage IQ router (RC, VA, SA, ST of 1 cycle each, not speculative), 1-cycle
     * channels, credit_delay 0, 2 VCs of 8 flits, single-flit packets, dimension-order XY, iSLIP
     * allocators with 1 iteration, and its measurement method.
     */
    public static NocParams booksim() {
        return new NocParams(2_000_000_000L, 1, 1, 1, 1, false, 1, 0, 2, 8, 64, 1, Routing.XY, Fidelity.FLIT, 1.0, 1.0,
                Measurement.booksim());
    }
}
