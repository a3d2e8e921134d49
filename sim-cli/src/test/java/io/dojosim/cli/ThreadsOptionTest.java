package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThreadsOptionTest {
    @Test
    void defaultTakesTheCoresTheLoadAverageLeavesIdle() {
        assertEquals(2, ThreadsOption.defaultThreads(2, 0.0)); // quiet host: every core
        assertEquals(2, ThreadsOption.defaultThreads(2, 0.49)); // 1.51 idle cores round to 2
        assertEquals(1, ThreadsOption.defaultThreads(2, 0.51)); // 1.49 round to 1
        assertEquals(1, ThreadsOption.defaultThreads(2, 15.0)); // loaded host: never below one thread
        assertEquals(6, ThreadsOption.defaultThreads(8, 2.2));
        assertEquals(8, ThreadsOption.defaultThreads(8, 0.0));
    }

    @Test
    void defaultIsTheCoreCountWhenTheHostGivesNoLoadAverage() {
        assertEquals(4, ThreadsOption.defaultThreads(4, -1.0));
    }

    @Test
    void anExplicitThreadCountIsKeptWhateverTheLoad() {
        ThreadsOption o = new ThreadsOption();
        o.threads = 3;
        assertEquals(3, o.threads());
    }
}
