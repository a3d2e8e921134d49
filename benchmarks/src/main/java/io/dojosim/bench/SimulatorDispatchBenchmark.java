package io.dojosim.bench;

import io.dojosim.core.engine.EventHandler;
import io.dojosim.core.engine.Simulator;
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
 * The hold model through the whole kernel: each event's handler schedules its successor, so one
 * operation is one dispatched event including slot allocation, the handle and the handler call.
 * Sixteen handler objects share the work so the call site is not monomorphic on one receiver
 * object (it stays monomorphic on the class, as a model's few hot handler classes would be).
 * All events have the delivery priority, as most of a model's events are link deliveries; a
 * model's clock ticks join a time after its deliveries (see docs/adr/0002-pending-event-set.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SimulatorDispatchBenchmark {
    static final int BATCH = 1024;

    @Param({"1024", "65536", "1048576"})
    public int pending;

    @Param({"wheel", "heap4"})
    public String set;

    private Simulator sim;

    static final class Holder implements EventHandler {
        private final Simulator sim;
        private final HoldIncrements inc;
        long received;

        Holder(Simulator sim, HoldIncrements inc) {
            this.sim = sim;
            this.inc = inc;
        }

        @Override
        public void onEvent(long nowPs, int kind, long arg) {
            received += arg;
            sim.schedule(nowPs + inc.next(), kind, this, kind, arg);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        sim = new Simulator(1, EventSetBenchmark.create(set));
        HoldIncrements inc = new HoldIncrements(42, 4.0, 0.0001);
        Holder[] holders = new Holder[16];
        for (int i = 0; i < holders.length; i++) {
            holders[i] = new Holder(sim, inc);
        }
        for (int i = 0; i < pending; i++) {
            sim.schedule(inc.initialPs(), Simulator.PRIORITY_DELIVERY, holders[i & 15], Simulator.PRIORITY_DELIVERY, i);
        }
        for (int i = 0; i < 2 * pending; i++) {
            sim.step();
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long dispatch1024() {
        Simulator s = sim;
        for (int i = 0; i < BATCH; i++) {
            s.step();
        }
        return s.now();
    }
}
