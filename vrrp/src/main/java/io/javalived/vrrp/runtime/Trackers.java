package io.javalived.vrrp.runtime;

import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.TrackedScript;
import io.javalived.netlink.route.LinkMonitor;
import io.javalived.vrrp.track.ScriptTracker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * The trackers of one instance (track_script, track_interface, its own interface) folded into a priority offset and a
 * FAULT flag, keepalived's way: weight &gt; 0 adds while good, weight &lt; 0 subtracts while bad, weight 0 means FAULT
 * while bad; {@code reverse} flips the sign of the effect.
 */
public final class Trackers {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private record Item(String kind, String name, int weight, boolean reverse,
                        java.util.function.BooleanSupplier good) {
        /** Weight 0: the instance is in FAULT while this tracker is bad (good, with reverse). */
        boolean faults(boolean isGood) {
            return weight == 0 && (reverse ? isGood : !isGood);
        }

        /** The priority offset (0 for a weight-0 tracker: it faults instead). */
        int effect(boolean isGood) {
            return contribution(weight, reverse, isGood);
        }
    }

    /** A tracker with a numeric effect (track_file). */
    private record Numeric(String name, int weight, boolean reverse, java.util.function.LongSupplier value,
                           java.util.function.IntSupplier delta, java.util.function.BooleanSupplier fault) {}

    private final List<Numeric> numeric = new ArrayList<>();

    private final VrrpInstance instance;
    private final int basePriority;
    private final List<Item> items = new ArrayList<>();

    Trackers(VrrpInstance instance, int basePriority) {
        this.instance = instance;
        this.basePriority = basePriority;
    }

    /** Pure: the priority offset of one tracker. */
    public static int contribution(int weight, boolean reverse, boolean good) {
        if (weight == 0) {
            return 0;
        }
        int w = reverse ? -weight : weight;
        if (weight > 0) {
            return good ? w : 0;
        }
        return good ? 0 : w;
    }

    void addScript(TrackedScript t, ScriptTracker tracker) {
        items.add(new Item("script", t.name(), t.weight(), t.reverse(), tracker::good));
        tracker.addListener(ok -> update());
    }

    void addProcess(io.javalived.config.model.TrackedProcess t, io.javalived.vrrp.track.ProcessTracker tracker) {
        items.add(new Item("process", t.name(), t.weight(), t.reverse(), () -> tracker.up(t.name())));
        tracker.addListener((name, up) -> {
            if (name.equals(t.name())) {
                update();
            }
        });
    }

    void addInterface(TrackedInterface t, LinkMonitor links) {
        items.add(new Item("interface", t.name(), t.weight(), t.reverse(), () -> {
            LinkMonitor.Link l = links.byName(t.name());
            return l != null && l.up();
        }));
    }

    void addFile(io.javalived.config.model.TrackedFile t, io.javalived.vrrp.track.FileTracker f) {
        numeric.add(new Numeric(t.name(), t.weight(), t.reverse(), f::value, () -> t.weight() == 0 ? 0
                : io.javalived.vrrp.track.FileTracker.contribution(f.value(), t.weight(), t.reverse()),
                () -> t.weight() == 0 && f.value() != 0));
        f.addListener(v -> update());
    }

    /** The instance's own interface: down means FAULT. */
    void addOwnInterface(String ifname, LinkMonitor links) {
        items.add(new Item("interface", ifname, 0, false, () -> {
            LinkMonitor.Link l = links.byName(ifname);
            return l != null && l.up();
        }));
    }

    boolean tracksInterface(String name) {
        for (Item i : items) {
            if (i.kind().equals("interface") && i.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** A reload replaced these trackers: from now on they push nothing (their sources may still call). */
    void retire() {
        retired = true;
    }

    private volatile boolean retired;

    /** Re-evaluates every tracker and pushes the result to the instance. */
    synchronized void update() {
        if (retired) {
            return;
        }
        instance.setTotalPriority(totalPriority());
        instance.setFault(fault());
    }

    /** The base priority plus every tracker's current weight. */
    synchronized int totalPriority() {
        int delta = 0;
        for (Item i : items) {
            delta += i.effect(i.good().getAsBoolean());
        }
        for (Numeric n : numeric) {
            delta += n.delta().getAsInt();
        }
        return basePriority + delta;
    }

    private boolean fault() {
        boolean fault = false;
        for (Item i : items) {
            fault |= i.faults(i.good().getAsBoolean());
        }
        for (Numeric n : numeric) {
            fault |= n.fault().getAsBoolean();
        }
        return fault;
    }

    /** The trackers' current states and effects, for status output. */
    synchronized List<InstanceStatus.TrackerStatus> status() {
        List<InstanceStatus.TrackerStatus> out = new ArrayList<>();
        for (Item i : items) {
            boolean good = i.good().getAsBoolean();
            out.add(new InstanceStatus.TrackerStatus(i.kind(), i.name(), good, i.weight(), i.reverse(),
                    i.effect(good), i.faults(good), null));
        }
        for (Numeric n : numeric) {
            long v = n.value().getAsLong();
            out.add(new InstanceStatus.TrackerStatus("file", n.name(), v == 0, n.weight(), n.reverse(),
                    n.delta().getAsInt(), n.fault().getAsBoolean(), Long.toString(v)));
        }
        return out;
    }

    static void logLink(LinkMonitor.Link l, boolean removed) {
        LOG.log(Level.INFO, "Netlink reports " + l.name() + (removed ? " removed" : l.up() ? " up" : " down"));
    }
}
