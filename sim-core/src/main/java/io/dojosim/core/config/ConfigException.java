package io.dojosim.core.config;

/**
 * A user's mistake in a config, workload or command-line value: the command line prints the
 * message (file, line, key, value and what is allowed) and exits with code 2, without a stack
 * trace unless {@code --debug} is given.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
