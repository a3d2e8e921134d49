package io.dojosim.cli.sweep;

import java.nio.file.Path;

/**
 * Where a sweep's points run besides the default local pool: an engine found on the class path
 * with {@link java.util.ServiceLoader} by its {@link #name()} ({@code dojosim sweep SPEC --engine
 * NAME}). The {@code sim-spark} module provides {@code spark}. An engine runs each point through
 * {@link AtomicPoint} (retried and speculative tasks write a point once) and returns when every
 * point of its shard is stored; the command then merges ({@link SweepMerge}) and writes the tables,
 * so the tables are the local engine's byte for byte.
 */
public interface SweepEngine {
    /** @return the name {@code --engine} selects */
    String name();

    /**
     * Runs the unfinished points of {@code shard}.
     *
     * @param specFile the spec, as given (executors re-plan from it: it must be readable there)
     * @param master   the engine's cluster address ({@code --master}), or null for the engine's default
     * @return a line saying what ran where, for the command's output
     */
    String run(Path specFile, SweepPlan plan, SweepStore store, Shard shard, String master) throws Exception;
}
