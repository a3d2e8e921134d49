package io.dojosim.bench;

import io.dojosim.core.engine.ChunkedTimingWheelEventSet;
import io.dojosim.core.engine.PendingEventSet;
import io.dojosim.core.engine.QuaternaryHeapEventSet;
import io.dojosim.core.engine.TimingWheelEventSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The classic hold model on a bare pending-event set: remove the minimum, add one event at the
 * removed time plus an increment, so the set keeps {@code pending} entries. One operation is one
 * hold (a remove and an add), i.e. one event.
 *
 * <p>Increments: whole cycles of a 500 ps clock, geometric with a mean of 4 cycles, plus 0.01 % of
 * schedules 0.5 to 10 us ahead (about a fifth of the pending set) (see {@link HoldIncrements}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EventSetBenchmark {
    static final int BATCH = 1024;

    @Param({"1024", "65536", "1048576"})
    public int pending;

    @Param({"wheel", "chunked", "heap4"})
    public String set;

    @Param({"0.0001"})
    public double farFraction;

    private PendingEventSet events;
    private HoldIncrements inc;
    private long order;

    static PendingEventSet create(String name) {
        switch (name) {
            case "wheel": return new TimingWheelEventSet();
            case "heap4": return new QuaternaryHeapEventSet();
            case "chunked": return new ChunkedTimingWheelEventSet();
            default: throw new IllegalArgumentException("unknown event set " + name);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        events = create(set);
        inc = new HoldIncrements(42, 4.0, farFraction);
        for (int i = 0; i < pending; i++) {
            events.add(inc.initialPs(), order++, i);
        }
        // Reach the steady state of the hold model before measuring.
        for (int i = 0; i < 2 * pending; i++) {
            hold();
        }
    }

    private void hold() {
        long t = events.minTime();
        long tag = events.pollMin(); // the entry's payload goes back with it, as in the kernel
        events.add(t + inc.next(), order++, tag, events.polledHandler(), events.polledKind(), events.polledArg());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long hold1024() {
        for (int i = 0; i < BATCH; i++) {
            hold();
        }
        return events.minTime();
    }
}
