package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.fail;

import io.dojosim.core.config.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property of every workload reader (issue 17): whatever bytes a file holds, reading it either
 * gives a workload or raises {@link ConfigException} (exit 2 with a message); never another
 * exception, an overflow or an unbounded allocation. Inputs are valid files of each format
 * (Chakra protobuf, ASTRA-sim 1.0 text, the dojosim YAML format) mutated by a seeded generator:
 * bytes flipped, runs overwritten with 0x00 / 0xff / large varints or digits, cuts and
 * duplications. The seeds are fixed, so a failure names a reproducible case.
 *
 * <p>Caveats: jqwik is not in the offline repository of this build, so the generator is ours.
 */
class ReaderFuzzTest {
    private static final int MUTATIONS = 250;

    @TempDir
    Path dir;

    private static byte[] mutate(byte[] in, SplittableRandom r) {
        byte[] b = in.clone();
        int kind = r.nextInt(7);
        int n = Math.max(1, b.length);
        int at = r.nextInt(n);
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(4) && b.length > 0; i++) b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(n));
            case 2 -> {
                byte fill = r.nextBoolean() ? (byte) 0 : (byte) 0xff;
                for (int i = at; i < Math.min(b.length, at + 1 + r.nextInt(12)); i++) b[i] = fill;
            }
            case 3 -> { // a large varint or number text spliced in
                byte[] big = r.nextBoolean() ? new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff,
                        (byte) 0xff, (byte) 0xff, (byte) 0x7f} : "9223372036854775807".getBytes();
                b = splice(b, at, big);
            }
            case 4 -> { // a range duplicated
                int len = Math.min(b.length - Math.min(at, b.length), 1 + r.nextInt(64));
                b = splice(b, at, Arrays.copyOfRange(b, Math.min(at, b.length), Math.min(at, b.length) + len));
            }
            case 5 -> b = splice(b, at, "-1".getBytes());
            default -> {
                if (b.length > 0) b[at % b.length] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] x) {
        at = Math.min(at, b.length);
        byte[] o = new byte[b.length + x.length];
        System.arraycopy(b, 0, o, 0, at);
        System.arraycopy(x, 0, o, at, x.length);
        System.arraycopy(b, at, o, at + x.length, b.length - at);
        return o;
    }

    private void fuzz(byte[] valid, String fileName, long seed) throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        Path f = dir.resolve(fileName);
        for (int i = 0; i < MUTATIONS; i++) {
            byte[] m = mutate(valid, r);
            Files.write(f, m);
            try {
                WorkloadLoader.load(f.toString());
            } catch (ConfigException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) fail("mutation " + i + " of seed " + seed + ": an empty message");
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                Files.write(dir.resolve("failing-" + fileName), m);
                throw new AssertionError("mutation " + i + " of seed " + seed + " of " + fileName + " escaped as " + e, e);
            }
        }
    }

    @Test
    void mutatedChakraTracesGiveAWorkloadOrAConfigException() throws IOException {
        byte[] valid = Files.readAllBytes(Path.of("src/test/resources/chakra/all_reduce_4npus/all_reduce.0.et"));
        fuzz(valid, "m.0.et", 17);
        fuzz(valid, "n.0.et", 1717);
    }

    @Test
    void mutatedAstraSimTextGivesAWorkloadOrAConfigException() throws IOException {
        fuzz(Files.readAllBytes(Path.of("src/test/resources/astra-sim-1.0/MLP_HybridParallel_Data_Model.txt")), "m.txt", 23);
        fuzz(Files.readAllBytes(Path.of("src/test/resources/astra-sim-1.0/microAllReduce.txt")), "n.txt", 2323);
    }

    @Test
    void mutatedWorkloadYamlGivesAWorkloadOrAConfigException() throws IOException {
        fuzz(Files.readAllBytes(Path.of("../configs/workloads/tiny-mlp.yaml")), "m.yaml", 31);
        fuzz(Files.readAllBytes(Path.of("../configs/workloads/three-gemms.yaml")), "n.yaml", 3131);
    }
}
