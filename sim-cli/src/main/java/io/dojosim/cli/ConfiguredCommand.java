package io.dojosim.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/**
 * What every command that reads a config shares: the {@link ConfigOptions} mixin
 * ({@code -c}, {@code --set}, {@code --seed}) and picocli's spec of the command (its output
 * streams). picocli reads the annotated fields of a superclass before a subclass's own, so the
 * config options stay first in each command's help.
 */
abstract class ConfiguredCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;
}
