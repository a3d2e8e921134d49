package io.dojosim.cli;

import picocli.CommandLine.Mixin;

/**
 * A command that runs a simulation: the config options of {@link ConfiguredCommand} and
 * {@code --threads} ({@link ThreadsOption}), in that order in its help.
 */
abstract class SimulatingCommand extends ConfiguredCommand {
    @Mixin
    ThreadsOption threadsOption = new ThreadsOption();
}
