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
    void defaultTakesTheCoresTheLoadAverageLeavesIdleLessOneForTheJvm() {
        assertEquals(1, ThreadsOption.defaultThreads(2, 0.0, ThreadsOption.Gain.IDLE_CORES)); // quiet 2-core host: one, the other core is the JVM's
        assertEquals(1, ThreadsOption.defaultThreads(2, 15.0, ThreadsOption.Gain.IDLE_CORES)); // loaded host: never below one thread
        assertEquals(5, ThreadsOption.defaultThreads(8, 2.2, ThreadsOption.Gain.IDLE_CORES)); // 5.8 idle round to 6, less one
        assertEquals(4, ThreadsOption.defaultThreads(8, 2.51, ThreadsOption.Gain.IDLE_CORES)); // 5.49 round to 5, less one: 4
        assertEquals(7, ThreadsOption.defaultThreads(8, 0.0, ThreadsOption.Gain.IDLE_CORES));
        assertEquals(1, ThreadsOption.defaultThreads(1, 0.0, ThreadsOption.Gain.IDLE_CORES)); // one core: one thread
    }

    @Test
    void defaultIsAllCoresButOneWhenTheHostGivesNoLoadAverage() {
        assertEquals(3, ThreadsOption.defaultThreads(4, -1.0, ThreadsOption.Gain.IDLE_CORES));
        assertEquals(1, ThreadsOption.defaultThreads(2, -1.0, ThreadsOption.Gain.IDLE_CORES));
    }

    @Test
    void anExplicitThreadCountIsKeptWhateverTheLoad() {
        ThreadsOption o = new ThreadsOption();
        o.threads = 3;
        assertEquals(3, o.threads());
        assertEquals(3, o.threads(ThreadsOption.Gain.IDLE_CORES));
    }
}
