package io.dojosim.cli.files;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Deterministic JSON and atomic files for the sweep, check and report packages: insertion-ordered
 * maps, two-space indentation, {@code \n} line ends; every file is written to a temporary sibling
 * and moved into place, so a process killed at any moment leaves the old file or the new one,
 * never half of one.
 *
 * <p>Caveats: every writer of the command line uses these (the command package through
 * {@code Output}), so all result files share one JSON style and one atomic-write rule.
 */
public final class JsonFiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private JsonFiles() {
    }

    /** @return the value as pretty JSON with a final newline */
    public static String toJson(Object value) {
        try {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter();
            pp.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
            pp.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
            return JSON.writer(pp).writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the value as JSON on one line (for JSON lines files), without a newline */
    public static String toJsonLine(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the value as pretty JSON, atomically. */
    public static void writeJson(Path file, Object value) {
        writeText(file, toJson(value));
    }

    /** Writes a file's content. */
    @FunctionalInterface
    public interface Body {
        void write(Writer w) throws IOException;
    }

    /** Writes text atomically: a temporary sibling, then a move over the target. */
    public static void writeText(Path file, String text) {
        write(file, w -> w.write(text));
    }

    /**
     * Writes a file atomically: the body writes a temporary sibling (mode rw-r--r-- where the file
     * system has POSIX permissions), which is then moved over the target.
     *
     * @throws ConfigException naming the file when it cannot be written
     */
    public static void write(Path file, Body body) {
        Path tmp = null;
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            permit(tmp, "rw-r--r--");
            try (Writer w = new java.io.BufferedWriter(Files.newBufferedWriter(tmp, StandardCharsets.UTF_8), 1 << 16)) {
                body.write(w);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new OutputException(file + ": cannot write: " + RunFolder.describe(e), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // best effort: the leftover is a hidden .NAME*.tmp sibling
                }
            }
        }
    }

    /**
     * @return the JSON object in the file, as insertion-ordered maps, lists, strings, numbers and booleans
     * @throws ConfigException when the file is missing, unreadable or not a JSON object
     */
    public static Map<String, Object> readMap(Path file) {
        try {
            Object o = JSON.readValue(file.toFile(), Object.class);
            if (!(o instanceof Map)) {
                throw new ConfigException(file + ": expected a JSON object at the top level");
            }
            return JsonTree.object(o);
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ConfigException(file + ": no such file");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException(file + ":" + (e.getLocation() == null ? "?" : e.getLocation().getLineNr())
                    + ": not valid JSON: " + io.dojosim.core.config.ParserMessages.clean(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** @return a new insertion-ordered map (a shorthand) */
    public static Map<String, Object> map() {
        return new LinkedHashMap<>();
    }

    /**
     * Gives a temporary file or folder the permissions its final name should have (a temporary
     * file starts private to its owner); on a file system without POSIX permissions it keeps the
     * defaults.
     */
    static void permit(Path tmp, String posix) throws java.io.IOException {
        try {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString(posix));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }
}
