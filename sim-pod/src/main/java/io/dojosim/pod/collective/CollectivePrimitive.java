package io.dojosim.pod.collective;

import io.dojosim.core.config.ConfigException;
import java.util.Locale;

/**
 * The collective operations the pod model decomposes into transfers (named primitives so that they
 * do not clash with the workload's {@code io.dojosim.workload.CollectiveOp}, one operation of a
 * training graph, which {@code PodStepBackend} maps onto a primitive), with NCCL's bus-bandwidth factors (nccl-tests PERFORMANCE.md): the
 * bus bandwidth is the algorithm bandwidth times the factor, so that it can be compared with a
 * link's speed whatever the member count.
 *
 * <p>Sizes: {@code bytes} is each member's whole buffer: all-reduce reduces {@code bytes}
 * everywhere; reduce-scatter leaves {@code bytes / n} per member; all-gather gathers {@code bytes}
 * made of n shards; all-to-all sends {@code bytes / n} to every member; broadcast sends
 * {@code bytes} from the first member.
 */
public enum CollectivePrimitive {
    ALLREDUCE, REDUCESCATTER, ALLGATHER, ALLTOALL, BROADCAST;

    /** @return the bus-bandwidth factor for n members: 2(n-1)/n for all-reduce, (n-1)/n for RS, AG and all-to-all, 1 for broadcast */
    public double busFactor(int n) {
        switch (this) {
            case ALLREDUCE:
                return 2.0 * (n - 1) / n;
            case BROADCAST:
                return 1.0;
            default:
                return (n - 1.0) / n;
        }
    }

    /** @throws ConfigException naming the allowed words */
    public static CollectivePrimitive parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--op: '" + s + "' is not a collective; allowed: allreduce, reducescatter, allgather, alltoall, broadcast");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
