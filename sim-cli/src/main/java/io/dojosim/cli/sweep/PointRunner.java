package io.dojosim.cli.sweep;

import io.dojosim.core.config.ResolvedConfig;
import java.nio.file.Path;
import java.util.Map;

/**
 * Runs one sweep point: simulates the config (its {@code run.*} keys say which workload and how many steps),
 * writes its run files (summary.json, stats.json, resolved-config.yaml) into {@code pointDir}, and
 * returns the summary. The command line's runner is {@code RunService}, {@code dojosim run}'s executor.
 *
 * <p>Contract: throw {@link io.dojosim.core.config.ConfigException} for bad input (the point is
 * recorded as failed with the message and the sweep goes on); anything else is an internal error.
 * Called from several threads at once, each with its own directory.
 */
@FunctionalInterface
public interface PointRunner {
    Map<String, Object> run(ResolvedConfig config, Path pointDir) throws Exception;
}
