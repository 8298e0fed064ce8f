package io.javalived.it.run;

import io.javalived.director.Director;
import io.javalived.director.DryRunKernel;
import io.javalived.ipvs.IpvsOp;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dry-run IPVS table (this host has no IPVS) that records, per destination port, the {@link System#nanoTime()} at
 * which the Director first added it and first deleted it (or set its weight to 0).
 */
final class RecordingKernel extends DryRunKernel {
    /** destination port -> nanoTime of its removal. */
    final Map<Integer, Long> removedAt = new ConcurrentHashMap<>();
    /** destination port -> nanoTime of its (first) addition. */
    final Map<Integer, Long> addedAt = new ConcurrentHashMap<>();

    @Override
    protected void applied(IpvsOp op) {
        long now = System.nanoTime();
        if (op.kind() == IpvsOp.Kind.ADD_DEST) {
            addedAt.putIfAbsent(op.dest().port(), now);
        }
        if (op.kind() == IpvsOp.Kind.DELETE_DEST || op.kind() == IpvsOp.Kind.EDIT_DEST && op.dest().weight() == 0) {
            removedAt.putIfAbsent(op.dest().port(), now);
        }
    }
}
