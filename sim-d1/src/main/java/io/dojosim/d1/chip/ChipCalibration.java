package io.dojosim.d1.chip;

import io.dojosim.core.config.ConfigException;
import io.dojosim.d1.DType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measured chip GEMM timings: the cycle-level chip simulation's answer per whole-die share,
 * keyed by the machine, the data type and the shape, for the {@code calibrated} fidelity of
 * {@link ChipComputeModel}.
 *
 * <pre>
 *   key      = version | machine fingerprint | dtype | m x n x k
 *   machine  = SHA-256 (first 16 hex digits) of the bound d1.node.*, d1.chip.* and noc.* records
 *              ({@link ChipSimSpec}): any parameter that can change the chip simulation
 *   file     = one entry per line, tab separated:
 *              fingerprint  dtype  m  n  k  cycles  fractionOfPeak  limiter sentence
 * </pre>
 *
 * <p>The shipped table ({@value #RESOURCE}) holds the default machine's shares of the built-in
 * workloads at tile scope (written by {@code dojosim calibrate}); every share timed at
 * {@code cycle} fidelity in this process is recorded so that {@code dojosim calibrate} can write
 * it out, but lookups read the shipped table only, so a run's answer never depends on what ran
 * before it in the same process or on the order in which threads fill a cache.
 *
 * <p>Caveats: the fingerprint is conservative (a die-edge key such as {@code d1.chip.serdesLanes}
 * invalidates entries it cannot change); {@code sim.seed} is left out because the chip GEMM draws
 * no random numbers.
 */
public final class ChipCalibration {
    /** Bump when the chip kernels or the simulation change what a key measures. */
    public static final int VERSION = 1;
    /**
     * The fingerprint of the default machine (the built-in d1.node.*, d1.chip.* and noc.* values),
     * whose shares the shipped table holds; CalibrationTableTest fails when a default moves it.
     */
    public static final String DEFAULT_MACHINE = "26d3f8107460b53c";
    /** The default machine's table, a class-path resource of sim-d1. */
    public static final String RESOURCE = "/io/dojosim/d1/chip/calibration.tsv";

    /** One measured share. */
    public record Entry(String fingerprint, DType type, long m, long n, long k, long cycles, double fractionOfPeak, String limiter) {
        public String key() {
            return ChipCalibration.key(fingerprint, type, m, n, k);
        }

        /** @return the entry as one line of the table (no newline) */
        public String line() {
            return fingerprint + '\t' + type.key() + '\t' + m + '\t' + n + '\t' + k + '\t' + cycles + '\t' + fractionOfPeak + '\t' + limiter;
        }
    }

    private static volatile Map<String, Entry> shipped;
    private static final Map<String, Entry> MEASURED = new ConcurrentHashMap<>();

    private ChipCalibration() {
    }

    static String key(String fingerprint, DType t, long m, long n, long k) {
        return VERSION + "|" + fingerprint + "|" + t.key() + "|" + m + "x" + n + "x" + k;
    }

    /** @return the machine fingerprint of a chip simulation's parameters (16 hex digits) */
    public static String fingerprint(ChipSimSpec c) {
        StringBuilder sb = new StringBuilder("v").append(VERSION);
        sb.append('\n').append(c.node()).append('\n').append(c.chip()).append('\n').append(c.noc());
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            StringBuilder hex = new StringBuilder();
            for (int i = 0; i < 8; i++) hex.append(String.format("%02x", h[i] & 0xff));
            return hex.toString();
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }

    /**
     * @return the shipped entry for a share, or null. Shares measured in this process are not
     * consulted: a run's answer must not depend on what ran before it in the same JVM (a model
     * that simulates its misses keeps them in its own cache)
     */
    public static Entry lookup(String fingerprint, DType t, long m, long n, long k) {
        return shipped().get(key(fingerprint, t, m, n, k));
    }

    /** @return every shipped entry of the machine and type, sorted by key */
    public static List<Entry> entries(String fingerprint, DType t) {
        Map<String, Entry> all = new TreeMap<>();
        String prefix = VERSION + "|" + fingerprint + "|" + t.key() + "|";
        for (Map.Entry<String, Entry> e : shipped().entrySet()) {
            if (e.getKey().startsWith(prefix)) all.put(e.getKey(), e.getValue());
        }
        return new ArrayList<>(all.values());
    }

    /** Records a share measured at cycle fidelity in this process (for {@code dojosim calibrate}; never read by lookups). */
    public static void record(Entry e) {
        MEASURED.putIfAbsent(e.key(), e);
    }

    /** @return the shares measured in this process, sorted by key */
    public static List<Entry> measured() {
        return new ArrayList<>(new TreeMap<>(MEASURED).values());
    }

    /** @return the shipped table's entries, sorted by key */
    public static List<Entry> shippedEntries() {
        return new ArrayList<>(new TreeMap<>(shipped()).values());
    }

    /** @return the shipped table by key */
    static Map<String, Entry> shipped() {
        Map<String, Entry> s = shipped;
        if (s == null) {
            synchronized (ChipCalibration.class) {
                s = shipped;
                if (s == null) {
                    InputStream in = ChipCalibration.class.getResourceAsStream(RESOURCE);
                    s = new ConcurrentHashMap<>();
                    if (in != null) {
                        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                            for (Entry e : read(r, RESOURCE)) s.put(e.key(), e);
                        } catch (IOException ex) {
                            throw new IllegalStateException("cannot read " + RESOURCE, ex);
                        }
                    }
                    shipped = s;
                }
            }
        }
        return s;
    }

    /**
     * Parses a table ({@code #} comments and blank lines skipped).
     *
     * @throws ConfigException naming the source and line of a malformed entry
     */
    public static List<Entry> read(Reader r, String source) throws IOException {
        List<Entry> out = new ArrayList<>();
        BufferedReader br = new BufferedReader(r);
        String line;
        int no = 0;
        while ((line = br.readLine()) != null) {
            no++;
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", 8);
            try {
                if (f.length != 8) throw new IllegalArgumentException("8 tab-separated fields expected, found " + f.length);
                out.add(new Entry(f[0], DType.parse(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                        Long.parseLong(f[5]), Double.parseDouble(f[6]), f[7]));
            } catch (RuntimeException ex) {
                throw new ConfigException(source + " line " + no + ": malformed calibration entry (" + ex.getMessage()
                        + "); allowed: fingerprint, dtype, m, n, k, cycles, fractionOfPeak, limiter separated by tabs");
            }
        }
        return out;
    }

    /** @return the header line of a table */
    public static String header() {
        return "# dojosim chip calibration v" + VERSION + " (docs/model/d1-chip.md#calibrated): fingerprint dtype m n k cycles fractionOfPeak limiter";
    }
}
