package io.dojosim.workload.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dojosim.workload.CollectiveKind;
import io.dojosim.workload.DataType;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordsTest {
    @Test
    void theFirstRowWithAContainedWordWinsElseTheFallback() {
        List<Keywords<Integer>> rows = List.of(new Keywords<>(1, "ab", "x"), new Keywords<>(2, "a"));
        assertEquals(1, Keywords.first("zabz", rows, 0));
        assertEquals(1, Keywords.first("x", rows, 0));
        assertEquals(2, Keywords.first("za", rows, 0));
        assertEquals(0, Keywords.first("zz", rows, 0));
    }

    @Test
    void collectiveNamesAreReadLongestWordFirstIgnoringCaseAndSeparators() {
        assertEquals(CollectiveKind.REDUCE_SCATTER, ChakraImporter.collectiveFromName("ncclDevKernel_Reduce_Scatter_Sum_bf16"));
        assertEquals(CollectiveKind.ALL_REDUCE, ChakraImporter.collectiveFromName("ncclKernel_AllReduce_RING_LL_Sum_float"));
        assertEquals(CollectiveKind.ALL_GATHER, ChakraImporter.collectiveFromName("c10d::all_gather_"));
        assertEquals(CollectiveKind.ALL_TO_ALL, ChakraImporter.collectiveFromName("ncclKernel_SendRecv"));
        assertEquals(CollectiveKind.BROADCAST, ChakraImporter.collectiveFromName("c10d::broadcast_"));
        assertEquals(CollectiveKind.BARRIER, ChakraImporter.collectiveFromName("c10d::barrier"));
        assertEquals(CollectiveKind.REDUCE, ChakraImporter.collectiveFromName("nccl:reduce"));
        assertEquals(CollectiveKind.GATHER, ChakraImporter.collectiveFromName("c10d::gather_"));
        assertEquals(CollectiveKind.SCATTER, ChakraImporter.collectiveFromName("c10d::scatter_"));
        assertNull(ChakraImporter.collectiveFromName("aten::mm"));
    }

    @Test
    void dataTypesAreReadFromPyTorchTypeStringsWithFp32WhenUnknown() {
        assertEquals(DataType.BF16, TorchOps.dataType("['c10::BFloat16']"));
        assertEquals(DataType.FP16, TorchOps.dataType("['c10::Half']"));
        assertEquals(DataType.FP16, TorchOps.dataType("float16"));
        assertEquals(DataType.CFP8, TorchOps.dataType("cfp8"));
        assertEquals(DataType.INT8, TorchOps.dataType("['signed char']"));
        assertEquals(DataType.FP32, TorchOps.dataType("['float']"));
        assertEquals(DataType.FP32, TorchOps.dataType(null));
    }
}
