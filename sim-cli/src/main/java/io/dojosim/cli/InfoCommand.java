package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.pod.Machine;
import io.dojosim.pod.MachineInfo;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dojosim info}: assembles the machine of a config and prints its counts, peak FLOPS per
 * level and data type, SRAM and HBM per level, link bandwidths and bisection per level (each a cut
 * of the built link graph).
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Print the assembled machine: counts, peaks, memories, link bandwidths and bisections per level.")
public final class InfoCommand extends ConfiguredCommand {
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON (nodes, chips, tiles, peakBf16Tflops, levels, links).")
    Path json;

    @Override
    public Integer call() {
        ResolvedConfig c = config.resolve();
        MachineInfo info = Machine.build(SystemChecks.bind(c)).info();
        spec.commandLine().getOut().print(info.format());
        spec.commandLine().getOut().flush();
        if (json != null) {
            Output.writeJson(json, ResultJson.machine(info));
        }
        return ExitCodes.OK;
    }
}
