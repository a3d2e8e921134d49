package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThreadsOptionTest {
    @Test
    void defaultIsOneThreadForWorkASecondThreadDoesNotSpeedUp() {
        assertEquals(1, ThreadsOption.defaultThreads(2, 0.0, ThreadsOption.Gain.NONE)); // quiet host too
        assertEquals(1, ThreadsOption.defaultThreads(8, -1.0, ThreadsOption.Gain.NONE));
    }

    @Test
    void aStepTimedAtCycleFidelityIsWorkThatGainsAndTheRooflineIsNot() {
        io.dojosim.core.config.ResolvedConfig d = new io.dojosim.core.config.ParamCatalog(io.dojosim.pod.catalog.ModelCatalog.params()).defaults();
        assertEquals(ThreadsOption.Gain.NONE, ThreadsOption.stepGain(d));
        assertEquals(ThreadsOption.Gain.IDLE_CORES, ThreadsOption.stepGain(d.with("run.computeFidelity", "cycle", "test")));
    }

    @Test
    void defaultTakesTheCoresTheLoadAverageLeavesIdle() {
        assertEquals(2, ThreadsOption.defaultThreads(2, 0.0, ThreadsOption.Gain.IDLE_CORES)); // quiet host: every core
        assertEquals(2, ThreadsOption.defaultThreads(2, 0.49, ThreadsOption.Gain.IDLE_CORES)); // 1.51 idle cores round to 2
        assertEquals(1, ThreadsOption.defaultThreads(2, 0.51, ThreadsOption.Gain.IDLE_CORES)); // 1.49 round to 1
        assertEquals(1, ThreadsOption.defaultThreads(2, 15.0, ThreadsOption.Gain.IDLE_CORES)); // loaded host: never below one thread
        assertEquals(6, ThreadsOption.defaultThreads(8, 2.2, ThreadsOption.Gain.IDLE_CORES));
        assertEquals(8, ThreadsOption.defaultThreads(8, 0.0, ThreadsOption.Gain.IDLE_CORES));
    }

    @Test
    void defaultIsTheCoreCountWhenTheHostGivesNoLoadAverage() {
        assertEquals(4, ThreadsOption.defaultThreads(4, -1.0, ThreadsOption.Gain.IDLE_CORES));
    }

    @Test
    void anExplicitThreadCountIsKeptWhateverTheLoad() {
        ThreadsOption o = new ThreadsOption();
        o.threads = 3;
        assertEquals(3, o.threads());
        assertEquals(3, o.threads(ThreadsOption.Gain.IDLE_CORES));
    }
}
