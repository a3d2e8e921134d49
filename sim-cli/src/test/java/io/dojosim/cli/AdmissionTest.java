package io.dojosim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dojosim.core.config.Check;
import io.dojosim.core.config.ConfigException;
import io.dojosim.core.config.ParserMessages;
import io.dojosim.core.config.ResolvedConfig;
import io.dojosim.core.stats.Distribution;
import io.dojosim.core.stats.Unit;
import io.dojosim.d1.DType;
import io.dojosim.d1.NodeParams;
import io.dojosim.d1.kernel.KernelAdmission;
import io.dojosim.pod.PodAdmission;
import io.dojosim.pod.PodConfig;
import io.dojosim.pod.collective.CollectiveAdmission;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Admission before allocation and overflow-safe numbers (issue 17, cases 2 to 7, 15 to 17): each
 * estimate is checked against figures computed by hand from the default config.
 */
class AdmissionTest {
    private static final long GIB = 1L << 30;

    private static ResolvedConfig config(String... sets) {
        return new ConfigLoader(Catalog.get()).resolve(null, List.of(sets));
    }

    @Test
    void exactArithmeticNamesTheFieldOnOverflow() {
        assertEquals(6_000_000_000L, Check.multiplyExact(3_000_000_000L, 2, "x"));
        assertEquals(Long.MAX_VALUE, Check.addExact(Long.MAX_VALUE - 1, 1, "y"));
        ConfigException e = assertThrows(ConfigException.class, () -> Check.multiplyExact(1L << 62, 1000, "node 1: duration_micros in ps"));
        assertTrue(e.getMessage().startsWith("node 1: duration_micros in ps: 4611686018427387904 x 1000 overflows"), e.getMessage());
        assertThrows(ConfigException.class, () -> Check.addExact(Long.MAX_VALUE, 1, "sum"));
        assertThrows(ConfigException.class, () -> Check.multiplyExact(Long.MIN_VALUE, -1, "neg"));
    }

    @Test
    void kernelOperandsAreAdmittedByTheirSramBytes() {
        NodeParams p = io.dojosim.d1.bind.D1Binding.node(config());
        // 384^3 BF16 on one node: A, B and C of 384 x 384 x 2 B = 3 x 294,912 = 884,736 B fit
        KernelAdmission.check(p, "gemm", 1, 384, 384, 384, DType.BF16);
        ConfigException e = assertThrows(ConfigException.class, () -> KernelAdmission.check(p, "gemm", 1, 20000, 20000, 20000, DType.BF16));
        assertTrue(e.getMessage().contains("needs A, B and C in SRAM: 2400000000 bytes") && e.getMessage().contains(Long.toString(p.dataBytes())),
                e.getMessage());
        // chip scope: (A + B) at 2 B and C as FP32 partial sums over 354 nodes, rounded up:
        // (2 x 1e10 x 2 + 1e10 x 4) / 354 = 8e10 / 354 = 225,988,700.56 -> 225,988,701 B per node
        ConfigException c = assertThrows(ConfigException.class,
                () -> KernelAdmission.check(p, "gemm", 354, 100_000, 100_000, 100_000, DType.BF16));
        assertTrue(c.getMessage().contains("225988701 bytes per node"), c.getMessage());
        // alltoall over 354 nodes: 353 peers x 2,048 B sent and as many received = 1,445,888 B per
        // node, above the 1,217,232 B of data SRAM (refused before any program is built); 1,024 B fits
        KernelAdmission.check(p, "alltoall", 354, 1024, 0, 0, DType.BF16);
        ConfigException a = assertThrows(ConfigException.class, () -> KernelAdmission.check(p, "alltoall", 354, 2048, 0, 0, DType.BF16));
        assertTrue(a.getMessage().contains("send and receive buffers in SRAM: 1445888 bytes per node"), a.getMessage());
        ConfigException o = assertThrows(ConfigException.class,
                () -> KernelAdmission.check(p, "gemm", 1, Long.MAX_VALUE, Long.MAX_VALUE, 1, DType.BF16));
        assertTrue(o.getMessage().startsWith("--m x --k"), o.getMessage());
    }

    @Test
    void systemSizeIsAdmittedFromItsChipCountWithoutOverflow() {
        PodConfig pod = PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(config()));
        assertEquals(3000, PodAdmission.chips(pod), "10 cabinets x 2 trays x 6 tiles x 25 chips");
        assertEquals(196_608, PodAdmission.maxChips(GIB), "3/4 of 1 GiB at 4 KiB a chip");
        PodAdmission.check(pod, GIB);
        PodConfig huge = PodConfig.of(io.dojosim.pod.bind.SpecBinder.bind(config("pod.system.cabinets=1000", "pod.system.traysPerCabinet=100", "pod.tray.tilesX=64",
                "pod.tray.tilesY=64", "pod.tile.chipsX=64", "pod.tile.chipsY=64")));
        ConfigException e = assertThrows(ConfigException.class, () -> PodAdmission.check(huge, GIB));
        assertTrue(e.getMessage().contains("builds 1677721600000 chips") && e.getMessage().contains("at most 196608 chips"), e.getMessage());
        // validate runs the same check as run
        CliRunner v = CliRunner.run("validate", "../configs/training-tile.yaml", "--set", "pod.system.scope=pod", "--set",
                "pod.system.cabinets=1000", "--set", "pod.system.traysPerCabinet=100", "--set", "pod.tray.tilesX=64");
        assertEquals(2, v.exit, v::toString);
        assertTrue(v.err.contains("chips"), v::toString);
    }

    @Test
    void nodeLevelCollectivesAreAdmittedByMembers() {
        assertEquals(8987, CollectiveAdmission.maxMembers(GIB), "805,306,368 B / (700 transfers x 128 B)");
        CollectiveAdmission.check(8850, "--scope tile --members nodes", GIB);
        ConfigException e = assertThrows(ConfigException.class,
                () -> CollectiveAdmission.check(1_062_000, "--scope pod --members nodes", GIB));
        assertTrue(e.getMessage().startsWith("--scope pod --members nodes: 1062000 members make an estimated 743400000 transfers"),
                e.getMessage());
    }

    @Test
    void setAcceptsTheNumbersAFileAccepts() {
        assertEquals(2_500_000_000L, config("d1.node.clockHz=2.5e9").getLong("d1.node.clockHz"));
        assertEquals(2_000_000_000L, config("d1.node.clockHz=2_000_000_000").getLong("d1.node.clockHz"));
        ConfigException e = assertThrows(ConfigException.class, () -> config("d1.node.clockHz=2.50000000001e9"));
        assertTrue(e.getMessage().contains("d1.node.clockHz"), e.getMessage());
        assertThrows(ConfigException.class, () -> config("d1.node.clockHz=1e999"));
        assertThrows(ConfigException.class, () -> config("noc.measure.warmupCycles=2000000000000000000"));
    }

    @Test
    void percentilesNeverExceedTheMaximum() {
        Distribution d = new Distribution("lat", Unit.PS, "one message");
        d.record(47_360_400);
        assertEquals(47_360_400, d.percentile(50));
        assertEquals(47_360_400, d.percentile(99));
        assertEquals(d.max(), d.percentile(100));
    }

    @Test
    void parserMessagesLoseClassNamesAndFeatureAdvice() {
        assertEquals("Non-standard token 'NaN'", ParserMessages.clean(
                "Non-standard token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow\n at [Source: x]"));
        assertEquals("Input length = 1", ParserMessages.clean("java.nio.charset.MalformedInputException: Input length = 1"));
        assertEquals("Unexpected end-of-input: expected close marker for Array", ParserMessages.clean("Unexpected end-of-input: expected"
                + " close marker for Array (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1]"));
    }
}
