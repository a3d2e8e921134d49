package io.dojosim.pod;

import io.dojosim.core.engine.Simulator;
import io.dojosim.core.stats.StatDef;
import io.dojosim.core.stats.StatGroup;
import io.dojosim.core.stats.StatsRegistry;
import io.dojosim.core.stats.Unit;
import io.dojosim.pod.collective.Collective;
import io.dojosim.pod.collective.CollectiveAlgorithm;
import io.dojosim.pod.collective.CollectiveGroup;
import io.dojosim.pod.collective.CollectiveListener;
import io.dojosim.pod.collective.CollectivePrimitive;

/**
 * The entry point for code that drives traffic on the machine (the workload executor, the
 * {@code dojosim collective} command): a {@link Machine} on a {@link Simulator} with its flow
 * network. Transfers and collectives start at the simulator's current time and report their end
 * through listeners; nothing blocks.
 *
 * <pre>
 * PodSimulation ps = new PodSimulation(sim, Machine.build(config));
 * ps.transfer(Endpoint.hbm(0), Endpoint.node(7, 12), 1 &lt;&lt; 20, (t, tag) -&gt; ..., 42);
 * ps.collective(CollectivePrimitive.ALLREDUCE, CollectiveAlgorithm.HIERARCHICAL,
 *               CollectiveGroup.chipsOfTiles(ps.machine().topology(), 0, 6), 1L &lt;&lt; 30, (t, tag, r) -&gt; ..., 7);
 * sim.run();
 * </pre>
 *
 * Statistics registered under {@code pod.}: transfers started and completed, and per level
 * ({@code pod.links.<kind>.}) the mean and maximum utilization and the bytes carried.
 */
public final class PodSimulation {
    private final Simulator sim;
    private final Machine machine;
    private final FlowNetwork net;
    private final int defaultChunks;
    private final int defaultDepth;
    private long cachedAt = -1;
    private LevelUtilization[] cached;

    public PodSimulation(Simulator sim, Machine machine) {
        this(sim, machine, 1, 1);
    }

    /** @param chunks and pipelineDepth are the defaults for {@link #collective} (from {@code pod.collective.*}) */
    public PodSimulation(Simulator sim, Machine machine, int chunks, int pipelineDepth) {
        this.sim = sim;
        this.machine = machine;
        this.net = new FlowNetwork(sim, machine.topology());
        this.defaultChunks = chunks;
        this.defaultDepth = pipelineDepth;
        StatsRegistry s = sim.stats();
        s.gauge(STAT_STARTED, STAT_STARTED.name(), () -> net.transfersStarted());
        s.gauge(STAT_COMPLETED, STAT_COMPLETED.name(), () -> net.transfersCompleted());
        for (LinkKind k : LinkKind.all()) {
            String level = k.name().toLowerCase(java.util.Locale.ROOT);
            int i = k.ordinal();
            s.gauge(STAT_MEAN, STAT_MEAN.name(level), STAT_MEAN.describe(k.label()), () -> util()[i].meanUtilization());
            s.gauge(STAT_MAX, STAT_MAX.name(level), STAT_MAX.describe(k.label()), () -> util()[i].maxUtilization());
            s.gauge(STAT_BYTES, STAT_BYTES.name(level), STAT_BYTES.describe(k.label()), () -> util()[i].bytes());
        }
    }

    private static final StatDef STAT_STARTED = StatDef.gauge("pod.transfersStarted", Unit.COUNT, "transfers (flows) started");
    private static final StatDef STAT_COMPLETED = StatDef.gauge("pod.transfersCompleted", Unit.COUNT, "transfers whose last byte arrived");
    private static final StatDef STAT_MEAN = StatDef.gauge("pod.links.{level}.meanUtilization", Unit.RATIO,
            "bytes carried / (capacity x window), all {label} links");
    private static final StatDef STAT_MAX = StatDef.gauge("pod.links.{level}.maxUtilization", Unit.RATIO, "the busiest {label} link's utilization");
    private static final StatDef STAT_BYTES = StatDef.gauge("pod.links.{level}.bytes", Unit.BYTES, "bytes carried summed over {label} links");

    /** The pod's flow-network statistics ({@code dojosim collective}); {@code {level}} is a {@link LinkKind} in lower case. */
    public static final StatGroup STATS = new StatGroup("PodSimulation",
            "the pod's flow network of links (dojosim collective)",
            java.util.List.of(STAT_STARTED, STAT_COMPLETED, STAT_MEAN, STAT_MAX, STAT_BYTES));

    private LevelUtilization[] util() {
        if (cached == null || cachedAt != sim.now()) {
            cached = net.levelUtilization();
            cachedAt = sim.now();
        }
        return cached;
    }

    public Simulator simulator() {
        return sim;
    }

    public Machine machine() {
        return machine;
    }

    public FlowNetwork network() {
        return net;
    }

    /**
     * Starts moving {@code bytes} from {@code src} to {@code dst} now ({@link Endpoint}: node, chip,
     * HBM of a DIP, host of a tray).
     *
     * @return the flow slot
     */
    public int transfer(long src, long dst, long bytes, TransferListener listener, long tag) {
        return net.start(src, dst, bytes, listener, tag);
    }

    /** Builds and starts a collective now with the default chunking. @return the running collective */
    public Collective collective(CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group, long bytes,
                                 CollectiveListener listener, long tag) {
        return collective(op, algorithm, group, bytes, defaultChunks, defaultDepth, listener, tag);
    }

    /** Builds and starts a collective now. @return the running collective */
    public Collective collective(CollectivePrimitive op, CollectiveAlgorithm algorithm, CollectiveGroup group, long bytes,
                                 int chunks, int pipelineDepth, CollectiveListener listener, long tag) {
        Collective c = new Collective(net, op, algorithm, group, bytes, chunks, pipelineDepth);
        c.start(listener, tag);
        return c;
    }

    /** @return per-level utilization since the last {@link #resetStats} (index = {@link LinkKind#ordinal()}) */
    public LevelUtilization[] utilization() {
        return net.levelUtilization();
    }

    /** Opens a new statistics window now. */
    public void resetStats() {
        net.resetStats();
        cached = null;
    }
}
