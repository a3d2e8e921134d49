package io.dojosim.cli.files;

import io.dojosim.core.config.ConfigException;

/**
 * A result could not be written (a full disk, a file-size limit, a folder that became read-only).
 * Exit code 2 like any place the user named, but not the input's fault: a sweep records such a
 * point as an error and runs it again when started again.
 */
public final class OutputException extends ConfigException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
