package io.javalived.it.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The chaos soak's fault schedule, a pure function of a seed: one fault every few seconds for the run's length, on
 * the lab's three VRRP nodes (1 and 2 run javalived, 3 runs keepalived). The same seed gives the same faults in the
 * same order with the same parameters, so a failing run replays with its seed (the times a fault takes, such as a
 * JVM's start, are the machine's).
 */
public final class SoakSchedule {
    /** The faults, in keepalived's and the operator's words. */
    public enum Kind {
        /** kill -9 of the node's daemon, started again after {@code holdMillis}. */
        KILL9_RESTART,
        /** SIGTERM (a clean stop: priority 0, VIPs removed), started again after {@code holdMillis}. */
        SIGTERM_RESTART,
        /** SIGHUP after writing the node's configuration with {@code priority}. */
        HUP_PRIORITY,
        /** SIGHUP with a configuration that does not parse: rejected, the running one kept; then restored. */
        HUP_BROKEN,
        /** VRRP (IP protocol 112) dropped between {@code node} and {@code peer} for {@code holdMillis}, healed. */
        BLOCK_VRRP,
        /** The node's eth0 down for {@code holdMillis}, then up. */
        LINK_FLAP,
        /** The node's daemon held to a few percent of one CPU for {@code holdMillis}. */
        CPU_STARVE
    }

    /** One fault: nominal start (ms from the soak's start), what, on which node(s), how long, new priority. */
    public record Fault(int index, long atMillis, Kind kind, int node, int peer, long holdMillis, int priority) {
        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("#").append(index).append(" @").append(atMillis / 1000.0)
                    .append("s ").append(kind).append(" node ").append(node);
            if (peer > 0) {
                sb.append("<->").append(peer);
            }
            if (holdMillis > 0) {
                sb.append(" for ").append(holdMillis).append(" ms");
            }
            if (kind == Kind.HUP_PRIORITY) {
                sb.append(" priority ").append(priority);
            }
            return sb.toString();
        }
    }

    /** Nodes running javalived (faults that need javalived: reloads with a broken file, CPU starvation). */
    public static final List<Integer> JAVALIVED = List.of(1, 2);
    /** All VRRP nodes; node 3 runs keepalived at {@link #KEEPALIVED_PRIORITY}. */
    public static final List<Integer> NODES = List.of(1, 2, 3);
    public static final int KEEPALIVED_PRIORITY = 100;
    /** Starting priorities of nodes 1, 2, 3: all different, so the highest is one node. */
    public static final Map<Integer, Integer> START_PRIORITIES = Map.of(1, 150, 2, 120, 3, KEEPALIVED_PRIORITY);
    /** Priorities a reload may give a javalived node: below, between and above the others. */
    static final int[] PRIORITY_CHOICES = {90, 110, 130, 160, 200};

    private SoakSchedule() {
    }

    /**
     * Faults from {@code seed} starting at {@code firstMillis} until {@code durationMillis}, {@code minGapMillis} to
     * {@code maxGapMillis} apart (nominal: a fault starts when the previous one is over if it took longer).
     */
    public static List<Fault> generate(long seed, long durationMillis, long firstMillis, long minGapMillis,
            long maxGapMillis) {
        if (minGapMillis <= 0 || maxGapMillis < minGapMillis) {
            throw new IllegalArgumentException("gap " + minGapMillis + ".." + maxGapMillis + " ms");
        }
        Random r = new Random(seed);
        Map<Integer, Integer> prio = new TreeMap<>(START_PRIORITIES);
        Kind[] kinds = Kind.values();
        List<Fault> out = new ArrayList<>();
        long t = firstMillis;
        while (t < durationMillis) {
            Kind k = kinds[r.nextInt(kinds.length)];
            int node;
            int peer = 0;
            long hold = 0;
            int p = 0;
            switch (k) {
                case KILL9_RESTART, SIGTERM_RESTART -> {
                    node = NODES.get(r.nextInt(NODES.size()));
                    hold = 1000 + r.nextInt(3001);
                }
                case LINK_FLAP -> {
                    node = NODES.get(r.nextInt(NODES.size()));
                    hold = 2000 + r.nextInt(3001);
                }
                case BLOCK_VRRP -> {
                    node = NODES.get(r.nextInt(NODES.size()));
                    do {
                        peer = NODES.get(r.nextInt(NODES.size()));
                    } while (peer == node);
                    if (peer < node) {
                        int x = node;
                        node = peer;
                        peer = x;
                    }
                    hold = 10_000;
                }
                case CPU_STARVE -> {
                    node = JAVALIVED.get(r.nextInt(JAVALIVED.size()));
                    hold = 5000 + r.nextInt(5001);
                }
                case HUP_PRIORITY -> {
                    node = JAVALIVED.get(r.nextInt(JAVALIVED.size()));
                    List<Integer> free = new ArrayList<>();
                    for (int c : PRIORITY_CHOICES) {
                        final int n = node;
                        if (prio.entrySet().stream().noneMatch(e -> e.getKey() != n && e.getValue() == c)
                                && prio.get(node) != c) {
                            free.add(c);
                        }
                    }
                    p = free.get(r.nextInt(free.size()));
                    prio.put(node, p);
                }
                case HUP_BROKEN -> node = JAVALIVED.get(r.nextInt(JAVALIVED.size()));
                default -> throw new IllegalStateException(k.toString());
            }
            out.add(new Fault(out.size() + 1, t, k, node, peer, hold, p));
            t += hold + minGapMillis + (long) (r.nextDouble() * (maxGapMillis - minGapMillis));
        }
        return out;
    }

    /**
     * keepalived's master_down_interval (3 adverts plus the skew time (256 - priority) / 256 adverts) for the lowest
     * priority in play: the longest a backup waits before it takes over.
     */
    public static long masterDownMillis(long advertMillis, int lowestPriority) {
        return 3 * advertMillis + advertMillis * (256 - lowestPriority) / 256;
    }

    /**
     * After a fault's end (a heal, a restart that is running, a link up): how long VRRP may take to converge - master
     * down (a node back listens that long before it preempts) and three adverts to settle - plus a slack for the load.
     */
    public static long settleMillis(long advertMillis, long slackMillis) {
        return masterDownMillis(advertMillis, PRIORITY_CHOICES[0]) + 3 * advertMillis + slackMillis;
    }
}
