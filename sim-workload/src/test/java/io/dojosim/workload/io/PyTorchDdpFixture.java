package io.dojosim.workload.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small data-parallel training step of a CNN, written as Chakra's converter writes PyTorch runs:
 * CPU operators (is_cpu_op true) with their callers as control dependencies and the thread order
 * as data dependencies, GPU kernels depending on the CPU operator that launched them, CPU-side
 * c10d::allreduce_ nodes without comm_type beside the NCCL kernels that carry type and size,
 * control-dependency cycles among CPU operators (a self-loop on the process node and on a
 * convolution_backward, a two-node cycle in the backward of the linear layer, and a back edge from
 * the profiler step to the optimizer), convolution and GEMM operators with BF16 shapes.
 *
 * <pre>
 * input 8 x 3 x 32 x 32 -> conv1 3x3 16 (stride 1, pad 1) -> relu -> conv2 3x3 32 (stride 2, pad 1)
 *   -> linear 8192 -> 10 -> cross_entropy (kernel replayed)
 * backward: mm (input grad), mm (weight grad), convolution_backward of conv2 (both grads) and of
 *   conv1 (weight grad only); two all-reduce buckets; fused SGD over 87,018 parameters
 * </pre>
 *
 * The files {@code configs/workloads/pytorch-ddp/cnn-ddp.N.et} are this fixture for ranks 0 and 1
 * (a test checks they are byte-identical to what the writer produces).
 */
final class PyTorchDdpFixture {
    static final String BF = "'c10::BFloat16'";
    /** Gradient bytes (BF16) of the two DDP buckets: linear + conv2, then conv1. */
    static final long BUCKET1_BYTES = (10L * 8192 + 10 + 32 * 16 * 9 + 32) * 2;
    static final long BUCKET2_BYTES = (16L * 3 * 9 + 16) * 2;

    private PyTorchDdpFixture() {
    }

    private static Map<String, ChakraWriter.AttrValue> attrs(boolean cpu, Object... kv) {
        Map<String, ChakraWriter.AttrValue> m = new LinkedHashMap<>();
        m.put("is_cpu_op", new ChakraWriter.AttrValue.Bool(cpu));
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], ChakraWriter.AttrValue.of(kv[i + 1]));
        }
        return m;
    }

    private static ChakraWriter.TraceNode cpu(long id, String name, int type, List<Long> ctrl, List<Long> data, long us,
                                              String shapes, String types, String values, String out, Object... kv) {
        return new ChakraWriter.TraceNode(id, name, type, ctrl, data, us, shapes, types, values, out, attrs(true, kv));
    }

    private static ChakraWriter.TraceNode gpu(long id, String name, int type, long launcher, long us, Object... kv) {
        return gpu(id, name, type, launcher, List.of(launcher), us, kv);
    }

    private static ChakraWriter.TraceNode gpu(long id, String name, int type, long launcher, List<Long> data, long us,
                                              Object... kv) {
        return new ChakraWriter.TraceNode(id, name, type, List.of(launcher), data, us, "", "", "", "", attrs(false, kv));
    }

    static List<ChakraWriter.TraceNode> nodes() {
        List<ChakraWriter.TraceNode> n = new ArrayList<>();
        String t3 = "[" + BF + ", " + BF + ", " + BF + "]";
        n.add(cpu(1, "[pytorch|profiler|execution_trace|process]", 4, List.of(1L), List.of(), 0, "", "", "", ""));
        n.add(cpu(2, "[pytorch|profiler|execution_trace|thread]", 4, List.of(1L), List.of(), 0, "", "", "", ""));
        n.add(cpu(3, "ProfilerStep#1", 4, List.of(2L, 100L), List.of(2L), 5, "", "", "", ""));
        // forward
        n.add(cpu(10, "aten::conv2d", 4, List.of(3L), List.of(3L), 20,
                "[[8, 3, 32, 32], [16, 3, 3, 3], [16], [], [], [], []]", t3,
                "[[1, 1, 0, 24576, 2, 'cuda:0'], [2, 2, 0, 432, 2, 'cuda:0'], [3, 3, 0, 16, 2, 'cuda:0'], [1, 1], [1, 1], [1, 1], 1]",
                "[[8, 16, 32, 32]]"));
        n.add(cpu(11, "aten::convolution", 4, List.of(10L), List.of(10L), 8,
                "[[8, 3, 32, 32], [16, 3, 3, 3], [16], [], [], [], [], [], []]", t3,
                "[[1, 1, 0, 24576, 2, 'cuda:0'], [2, 2, 0, 432, 2, 'cuda:0'], [3, 3, 0, 16, 2, 'cuda:0'], [1, 1], [1, 1], [1, 1], False, [0, 0], 1]",
                "[[8, 16, 32, 32]]"));
        n.add(gpu(12, "sm80_xmma_fprop_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nchw", 4, 11, 120));
        n.add(gpu(13, "void cask_cudnn::computeOffsetsKernel<false, false>(cask_cudnn::ComputeOffsetsParams)", 4, 11, 2));
        n.add(cpu(20, "aten::relu_", 4, List.of(3L), List.of(11L), 6, "[[8, 16, 32, 32]]", "[" + BF + "]", "", "[[8, 16, 32, 32]]"));
        n.add(gpu(21, "void at::native::vectorized_elementwise_kernel<4, at::native::relu_kernel>", 4, 20, 30));
        n.add(cpu(30, "aten::conv2d", 4, List.of(3L), List.of(20L), 15,
                "[[8, 16, 32, 32], [32, 16, 3, 3], [32], [], [], [], []]", t3, "", "[[8, 32, 16, 16]]"));
        n.add(gpu(31, "sm80_xmma_fprop_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nchw", 4, 30, 90));
        n.add(cpu(40, "aten::linear", 4, List.of(3L), List.of(30L), 10, "[[8, 8192], [10, 8192], [10]]", t3, "", "[[8, 10]]"));
        n.add(cpu(41, "aten::addmm", 4, List.of(40L), List.of(40L), 4, "[[10], [8, 8192], [8192, 10]]", t3, "", "[[8, 10]]"));
        n.add(gpu(42, "ampere_bf16_s16816gemm_bf16_64x64_ldg8_f2f_stages_64x5_tn", 4, 41, 25));
        n.add(cpu(50, "aten::cross_entropy_loss", 4, List.of(3L), List.of(41L), 8, "[[8, 10], [8]]", "[" + BF + ", 'long']", "", "[[]]"));
        n.add(gpu(51, "void at::native::nll_loss_forward_reduce_cuda_kernel_2d<c10::BFloat16, float, long>", 4, 50, 7));
        // backward; 60 and 61 name each other as control dependencies (a two-node cycle)
        n.add(cpu(60, "autograd::engine::evaluate_function: AddmmBackward0", 4, List.of(3L, 61L), List.of(50L), 5, "", "", "", ""));
        n.add(cpu(61, "aten::mm", 4, List.of(60L), List.of(60L), 4, "[[8, 10], [10, 8192]]", "[" + BF + ", " + BF + "]", "", "[[8, 8192]]"));
        n.add(gpu(62, "ampere_bf16_s16816gemm_bf16_64x64_ldg8_f2f_stages_64x5_nn", 4, 61, 20));
        n.add(cpu(63, "aten::mm", 4, List.of(60L), List.of(61L), 4, "[[10, 8], [8, 8192]]", "[" + BF + ", " + BF + "]", "", "[[10, 8192]]"));
        n.add(gpu(64, "ampere_bf16_s16816gemm_bf16_64x64_ldg8_f2f_stages_64x5_nt", 4, 63, 20));
        n.add(cpu(70, "aten::convolution_backward", 4, List.of(70L, 3L), List.of(63L), 10,
                "[[8, 32, 16, 16], [8, 16, 32, 32], [32, 16, 3, 3], [[]], [], [], [], [], [], [], []]", t3,
                "[[9, 9, 0, 65536, 2, 'cuda:0'], [4, 4, 0, 131072, 2, 'cuda:0'], [5, 5, 0, 4608, 2, 'cuda:0'], [32], [2, 2], [1, 1], [1, 1], False, [0, 0], 1, [True, True, True]]",
                "[[8, 16, 32, 32], [32, 16, 3, 3], [32]]"));
        n.add(gpu(71, "sm80_xmma_dgrad_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nchw", 4, 70, 150));
        n.add(cpu(80, "aten::convolution_backward", 4, List.of(3L), List.of(70L), 9,
                "[[8, 16, 32, 32], [8, 3, 32, 32], [16, 3, 3, 3], [[]], [], [], [], [], [], [], []]", t3,
                "[[10, 10, 0, 131072, 2, 'cuda:0'], [1, 1, 0, 24576, 2, 'cuda:0'], [2, 2, 0, 432, 2, 'cuda:0'], [16], [1, 1], [1, 1], [1, 1], False, [0, 0], 1, [False, True, True]]",
                "[[], [16, 3, 3, 3], [16]]"));
        n.add(gpu(81, "sm80_xmma_wgrad_implicit_gemm_bf16bf16_bf16f32_f32_nhwckrsc_nchw", 4, 80, 100));
        // DDP buckets: CPU-side c10d::allreduce_ without comm_type, NCCL kernels with the size
        n.add(cpu(90, "c10d::allreduce_", 7, List.of(3L), List.of(70L), 12, "[[[86570]], [], [], [], []]", "['GenericList[Tensor(c10::BFloat16)]']", "", ""));
        // a kernel waits for its launcher and (a stream dependency) for the gradient kernel before it
        n.add(gpu(91, "ncclDevKernel_AllReduce_Sum_bf16_RING_LL(ncclDevComm*, unsigned long, ncclWork*)", 7, 90, List.of(90L, 71L), 60,
                "comm_type", 0L, "comm_size", BUCKET1_BYTES, "pg_name", "0"));
        n.add(cpu(92, "c10d::allreduce_", 7, List.of(3L), List.of(90L), 11, "[[[448]], [], [], [], []]", "['GenericList[Tensor(c10::BFloat16)]']", "", ""));
        n.add(gpu(93, "ncclKernel_AllReduce_RING_LL_Sum_bf16(ncclDevComm*, unsigned long, ncclWork*)", 7, 92, List.of(92L, 81L), 40,
                "comm_size", BUCKET2_BYTES, "pg_name", "0"));
        // optimizer
        n.add(cpu(100, "Optimizer.step#SGD.step", 4, List.of(3L), List.of(92L, 91L, 93L), 20, "", "", "", ""));
        n.add(cpu(101, "aten::_fused_sgd_", 4, List.of(100L), List.of(100L), 6,
                "[[[16, 3, 3, 3], [16], [32, 16, 3, 3], [32], [10, 8192], [10]], [[16, 3, 3, 3], [16], [32, 16, 3, 3], [32], [10, 8192], [10]]]",
                "['GenericList[Tensor(float)]', 'GenericList[Tensor(float)]']", "", ""));
        n.add(gpu(102, "void at::native::(anonymous namespace)::multi_tensor_apply_kernel<FusedSgdMathFunctor>", 4, 101, 15));
        return n;
    }

    static byte[] encode() {
        return ChakraWriter.encodeNodes("0.0.4", "1.0.2-chakra.0.0.4", nodes());
    }

    /** Writes {@code prefix.0.et} and {@code prefix.1.et} (the data-parallel ranks run the same step). */
    static void write(Path prefix) throws IOException {
        byte[] b = encode();
        for (int r = 0; r < 2; r++) {
            Files.write(Path.of(prefix + "." + r + ".et"), b);
        }
    }
}
