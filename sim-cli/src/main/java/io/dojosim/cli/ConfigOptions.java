package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The config options every simulating command shares: {@code -c/--config FILE},
 * repeatable {@code --set key=value} and {@code --seed N}. Precedence: built-in defaults, then the
 * file, then each {@code --set} in order, then {@code --seed}.
 */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "YAML or JSON config file (see configs/).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one parameter; repeatable. Lists: a;b;c.")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Root random seed (same as --set sim.seed=N).")
    Long seed;

    /** @return the config resolved from defaults, file and overrides */
    public ResolvedConfig resolve() {
        List<String> all = new ArrayList<>(overrides);
        if (seed != null) {
            all.add("sim.seed=" + seed);
        }
        return new ConfigLoader(Catalog.get()).resolve(configFile, all);
    }

    /** Adds an override programmatically (used by command options that mirror config keys). */
    public void addOverride(String key, Object value) {
        overrides.add(key + "=" + value);
    }

    public Path configFile() {
        return configFile;
    }
}
