package io.dojosim.cli;

import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The config options every simulating command shares: repeatable {@code -c/--config FILE},
 * repeatable {@code --set key=value} and {@code --seed N}. Precedence: built-in defaults, then each
 * file in the order given (a later file wins: {@code -c configs/training-tile.yaml -c
 * configs/whatif-2.5ghz.yaml} is the what-if on a tile), then each {@code --set} in order, then
 * {@code --seed}.
 */
public final class ConfigOptions {
    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML or JSON config file (see configs/); repeatable: later files win (a base, then what-if overlays).")
    List<Path> configFiles = new ArrayList<>();

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
        return new ConfigLoader(Catalog.get()).resolveLayers(configFiles, all);
    }

    /** Adds an override programmatically (used by command options that mirror config keys). */
    public void addOverride(String key, Object value) {
        overrides.add(key + "=" + value);
    }

    /** @return the config files in the order they are applied (empty: defaults only) */
    public List<Path> configFiles() {
        return List.copyOf(configFiles);
    }
}
