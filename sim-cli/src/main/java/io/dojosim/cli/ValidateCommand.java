package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dojosim validate CONFIG}: checks a config without running it. */
@Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a config file (and --set overrides) without running it.")
public final class ValidateCommand implements java.util.concurrent.Callable<Integer> {
    @Parameters(paramLabel = "CONFIG", description = "YAML or JSON config file.")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one parameter; repeatable.")
    List<String> overrides = new ArrayList<>();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        ResolvedConfig c = new ConfigLoader(Catalog.get()).resolve(config, overrides);
        io.dojosim.pod.Machine.build(SystemChecks.bind(c)); // the checks of building the machine, as run does (dead chips, sites)
        int set = 0;
        for (Map.Entry<String, String> e : c.origins().entrySet()) {
            if (!e.getValue().equals("default")) set++;
        }
        spec.commandLine().getOut().println("ok: " + config + " is valid (" + set + " of " + c.values().size()
                + " parameters set, the rest default)");
        return ExitCodes.OK;
    }
}
