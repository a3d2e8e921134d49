package io.dojosim.cli.files;

import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Output places checked before a simulation starts, and run folders written whole or not at all.
 *
 * <p>{@link #checkDir} and {@link #checkFile} refuse, before anything is simulated, an output that
 * could not be written: a path under a file, a read-only folder, a folder where a file is wanted.
 * {@link #commit} writes a run's files into a temporary sibling folder ({@code .NAME.tmp-*}) and
 * only when every file is complete moves them into place: a new folder by one rename, an existing
 * one file by file (each a rename, which needs no space), after which the previous run's files
 * that the new run did not write are removed. A failure while writing (a full disk, a file-size
 * limit) leaves the previous folder untouched and deletes the temporary one.
 *
 * <p>Caveats: an existing folder is updated by renames, one file after another; a process killed
 * (SIGKILL) in the middle of those few renames can leave a mix, which the temporary sibling
 * ({@code .NAME.tmp-*}, kept in that case) shows. Files in the folder that are not a run's are
 * never touched.
 */
public final class RunFolder {
    /** Files a run folder may hold; a previous run's ones not rewritten are removed on commit. */
    public static final List<String> RUN_FILES = List.of("summary.json", "stats.json", "heatmaps.json", "timeline.json", "resolved-config.yaml");

    /** Writes a run's files into the folder it is given (the temporary sibling). */
    public interface Writer {
        void write(Path tmpDir) throws IOException;
    }

    private RunFolder() {
    }

    /**
     * @param option the option naming the folder (e.g. "-o"), for the message
     * @throws ConfigException when the folder could not be created or written
     */
    public static void checkDir(Path dir, String option) {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs)) {
            if (!Files.isDirectory(abs)) {
                throw new ConfigException(option + " " + dir + ": cannot write results there: it is a file, not a folder; allowed: a folder (new or existing)");
            }
            requireWritable(abs, option, dir);
            Path parent = abs.getParent();
            if (parent != null) requireWritable(parent, option, dir);
            return;
        }
        requireCreatable(abs, option, dir);
    }

    /**
     * @throws ConfigException when the file could not be written (a folder there, a parent that is
     *                         a file, a read-only folder)
     */
    public static void checkFile(Path file, String option) {
        Path abs = file.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw new ConfigException(option + " " + file + ": cannot write there: it is a folder; allowed: a file name");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isWritable(abs)) {
            throw new ConfigException(option + " " + file + ": cannot write there: the file is read-only");
        }
        Path parent = abs.getParent();
        if (parent != null && Files.isDirectory(parent)) {
            requireWritable(parent, option, file);
        } else if (parent != null) {
            requireCreatable(parent, option, file);
        }
    }

    private static void requireCreatable(Path abs, String option, Path shown) {
        Path p = abs;
        while (p != null && !Files.exists(p)) {
            p = p.getParent();
        }
        if (p == null) {
            throw new ConfigException(option + " " + shown + ": cannot write there: no existing folder above it");
        }
        if (!Files.isDirectory(p)) {
            throw new ConfigException(option + " " + shown + ": cannot write there: " + p + " is a file, not a folder;"
                    + " allowed: a path whose parents are folders");
        }
        requireWritable(p, option, shown);
    }

    private static void requireWritable(Path dir, String option, Path shown) {
        if (!Files.isWritable(dir)) {
            throw new ConfigException(option + " " + shown + ": cannot write there: the folder " + dir + " is not writable");
        }
    }

    /**
     * Writes a run folder whole: the writer fills a temporary sibling, which then replaces the
     * run files of {@code dir}.
     *
     * @throws ConfigException naming the folder when it cannot be written; the previous folder is then unchanged
     */
    public static void commit(Path dir, Writer writer) {
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        Path tmp = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + abs.getFileName() + ".tmp-");
            JsonFiles.permit(tmp, "rwxr-xr-x");
            try {
                writer.write(tmp);
            } catch (OutputException e) {
                Throwable c = e.getCause();
                throw c instanceof IOException io ? io : new IOException(e.getMessage(), e);
            }
            if (!Files.exists(abs)) {
                try {
                    Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
                    tmp = null;
                    return;
                } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException e) {
                    Files.createDirectories(abs);
                }
            }
            List<String> written = new ArrayList<>();
            try (Stream<Path> s = Files.list(tmp)) {
                for (Path f : s.sorted().toList()) {
                    written.add(f.getFileName().toString());
                }
            }
            for (String name : written) {
                move(tmp.resolve(name), abs.resolve(name));
            }
            for (String name : RUN_FILES) {
                if (!written.contains(name)) {
                    Files.deleteIfExists(abs.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new OutputException(dir + ": cannot write the run folder: " + describe(e) + "; the previous contents are unchanged", e);
        } finally {
            if (tmp != null) deleteTree(tmp);
        }
    }

    /** @return the message of an I/O failure in words (the file and the reason, no class name) */
    public static String describe(IOException e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            String name = f.getFile() == null ? "" : java.nio.file.Path.of(f.getFile()).getFileName() + ": ";
            String reason = f.getReason() != null ? f.getReason() : f instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : f instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : f instanceof java.nio.file.NotDirectoryException ? "not a folder" : "cannot be written";
            return name + reason;
        }
        return e.getMessage() == null ? "input/output error" : e.getMessage();
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes a folder and everything under it, quietly (a cleanup). */
    public static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // best effort: a leftover temporary folder is named .NAME.tmp-*
        }
    }
}
