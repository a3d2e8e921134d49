package io.dojosim.workload;

/** The type of an {@link Operation}, for counting and for switching without pattern matching. */
public enum OpType {
    COMPUTE, MEMORY, SEND, RECV, COLLECTIVE, MARKER
}
