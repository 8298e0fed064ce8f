package io.javalived.director;

import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.TrackFile;
import io.javalived.config.model.TrackedFile;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.VrrpInstance;
import io.javalived.config.model.VrrpScript;
import io.javalived.config.model.VrrpSyncGroup;
import io.javalived.vrrp.net.StaticNetwork;
import io.javalived.vrrp.runtime.ReloadDecision;
import io.javalived.vrrp.runtime.VrrpDaemon;
import io.javalived.vrrp.runtime.VrrpStartException;
import io.javalived.vrrp.state.VrrpState;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The VRRP side of {@code javalived run}, cut into units that can be reloaded independently: one unit per
 * vrrp_sync_group (with its members) and one per instance outside any group. Each unit runs its own
 * {@link VrrpDaemon} with the global_defs and only the vrrp_script/track_file blocks it uses. On reload (see
 * {@link #reload}) a unit keeps running with its state and VIPs unless an instance's identity changed.
 */
public final class VrrpUnits implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.javalived.vrrp");

    private record Unit(KeepalivedConfig config, VrrpDaemon daemon) {
    }

    private final Map<String, Unit> units = new LinkedHashMap<>();
    private final Map<String, VrrpState> states = new ConcurrentHashMap<>();
    private final Consumer<Boolean> anyMaster;
    private volatile Boolean lastAnyMaster;
    /** Told every instance's state change (lvs_sync_daemon follows its instance). */
    private volatile java.util.function.BiConsumer<String, VrrpState> stateListener = (n, st) -> { };
    private final boolean keepVirtualIpsAtStart;
    /** static_ipaddress / static_routes / static_rules: up while the units run. */
    private final StaticNetwork statics = new StaticNetwork();

    /**
     * @param anyMaster             told whether any instance is MASTER, after every change of that fact
     * @param keepVirtualIpsAtStart javalived's start-up rule (see {@link VrrpDaemon#VrrpDaemon(KeepalivedConfig,
     *                              boolean)}); false for {@code --clean-start}
     */
    public VrrpUnits(Consumer<Boolean> anyMaster, boolean keepVirtualIpsAtStart) {
        this.anyMaster = anyMaster;
        this.keepVirtualIpsAtStart = keepVirtualIpsAtStart;
    }

    private volatile io.javalived.vrrp.notify.NotifyFifos fifos = io.javalived.vrrp.notify.NotifyFifos.NONE;

    private volatile io.javalived.vrrp.notify.SmtpAlerter smtp = io.javalived.vrrp.notify.SmtpAlerter.NONE;

    /** Where smtp_alert mails go. Set before {@link #start}. */
    public void smtpAlerter(io.javalived.vrrp.notify.SmtpAlerter smtp) {
        this.smtp = smtp;
    }

    /** Where the INSTANCE and GROUP lines go (notify_fifo, vrrp_notify_fifo). Set before {@link #start}. */
    public void notifyFifos(io.javalived.vrrp.notify.NotifyFifos fifos) {
        this.fifos = fifos;
    }

    /** Tells {@code l} every state change of an instance (name, new state), after the instance's own actions. */
    public void onStateChange(java.util.function.BiConsumer<String, VrrpState> l) {
        stateListener = l;
    }

    /** An instance's state now, or null when it does not run. */
    public VrrpState state(String instance) {
        return states.get(instance);
    }

    /** Starts every unit of {@code config}; on failure stops what was started and throws. */
    public synchronized void start(KeepalivedConfig config) throws VrrpStartException {
        statics.apply(config); // keepalived: static addresses, routes and rules before the instances start
        for (Map.Entry<String, KeepalivedConfig> e : split(config).entrySet()) {
            try {
                startUnit(e.getKey(), e.getValue());
            } catch (VrrpStartException ex) {
                close();
                throw ex;
            }
        }
    }

    /**
     * Applies a new configuration unit by unit, as keepalived 2.2.7 reloads: a unit whose instances only changed in
     * place ({@link ReloadDecision}: priority, VIPs, advert_int, trackers, notify scripts, unicast peers...) is
     * updated while running - every instance keeps its state and the VIPs it holds, and no notify script runs; a unit
     * in which an instance's identity changed (interface, virtual_router_id, version, family, sync group members...)
     * is restarted; removed units are stopped, new ones started. A unit that fails to start is logged and left
     * stopped (a changed one is started again with its previous configuration).
     */
    public synchronized void reload(KeepalivedConfig config) {
        statics.apply(config);
        Map<String, KeepalivedConfig> fresh = split(config);
        Map<String, KeepalivedConfig> previous = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, Unit>> it = units.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Unit> e = it.next();
            Unit u = e.getValue();
            KeepalivedConfig n = fresh.get(e.getKey());
            if (n == null) {
                LOG.log(Level.INFO, "Removing " + e.getKey() + " on reload");
                stopUnit(u);
                it.remove();
                continue;
            }
            ReloadDecision.Decision d = plan(u.config(), n);
            if (d.kind() == ReloadDecision.Kind.KEEP) {
                e.setValue(new Unit(n, u.daemon()));
                continue;
            }
            if (d.kind() == ReloadDecision.Kind.UPDATE) {
                try {
                    u.daemon().update(n);
                    LOG.log(Level.INFO, "Applying changed " + e.getKey() + " on reload without restart ("
                            + String.join(", ", d.changed()) + ")");
                    e.setValue(new Unit(n, u.daemon()));
                    continue;
                } catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "Reload: cannot apply the changes of " + e.getKey() + " in place ("
                            + ex.getMessage() + ") - restarting it");
                }
            }
            LOG.log(Level.INFO, "Restarting changed " + e.getKey() + " on reload (" + String.join(", ", d.changed())
                    + ")");
            previous.put(e.getKey(), u.config());
            stopUnit(u);
            it.remove();
        }
        for (Map.Entry<String, KeepalivedConfig> e : fresh.entrySet()) {
            if (units.containsKey(e.getKey())) {
                continue;
            }
            try {
                startUnit(e.getKey(), e.getValue());
            } catch (VrrpStartException ex) {
                KeepalivedConfig old = previous.get(e.getKey());
                if (old == null) {
                    LOG.log(Level.ERROR, "Reload: cannot start new " + e.getKey() + ": " + ex.getMessage()
                            + " - it stays stopped; fix it and reload again");
                    continue;
                }
                LOG.log(Level.ERROR, "Reload: cannot start changed " + e.getKey() + ": " + ex.getMessage()
                        + " - keeping its running configuration; fix it and reload again");
                try {
                    startUnit(e.getKey(), old);
                } catch (VrrpStartException again) {
                    LOG.log(Level.ERROR, "Reload: cannot restart " + e.getKey() + " with its previous "
                            + "configuration either: " + again.getMessage());
                }
            }
        }
        publish();
    }

    /** Every running instance's state, trackers and counters. */
    public List<io.javalived.vrrp.runtime.InstanceStatus> status() {
        List<Unit> us;
        synchronized (this) {
            us = List.copyOf(units.values());
        }
        List<io.javalived.vrrp.runtime.InstanceStatus> out = new ArrayList<>();
        for (Unit u : us) {
            out.addAll(u.daemon().status());
        }
        return out;
    }

    public int size() {
        int n = 0;
        for (Unit u : units.values()) {
            n += u.config().vrrpInstances().size();
        }
        return n;
    }

    private void startUnit(String key, KeepalivedConfig cfg) throws VrrpStartException {
        VrrpDaemon d = new VrrpDaemon(cfg, keepVirtualIpsAtStart);
        d.notifyFifos(fifos);
        d.smtpAlerter(smtp);
        d.onStateChange((name, st) -> {
            states.put(name, st);
            publish();
            try {
                stateListener.accept(name, st);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "VRRP_Instance(" + name + ") state listener failed: " + e);
            }
        });
        units.put(key, new Unit(cfg, d));
        try {
            d.start();
        } catch (VrrpStartException | RuntimeException e) {
            units.remove(key);
            d.stop();
            throw e instanceof VrrpStartException v ? v : new VrrpStartException(key + ": " + e.getMessage());
        }
    }

    private void stopUnit(Unit u) {
        u.daemon().stop();
        for (VrrpInstance i : u.config().vrrpInstances()) {
            states.remove(i.name());
        }
    }

    private void publish() {
        boolean any = states.containsValue(VrrpState.MASTER);
        synchronized (states) {
            if (lastAnyMaster == null || lastAnyMaster != any) {
                lastAnyMaster = any;
                anyMaster.accept(any);
            }
        }
    }

    /** Stops every unit in parallel (priority 0 + VIPs removed for masters). */
    @Override
    public synchronized void close() {
        List<Thread> ts = new ArrayList<>();
        for (Unit u : units.values()) {
            Thread t = new Thread(() -> stopUnit(u), "vrrp-stop");
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        units.clear();
        statics.close();
    }

    /** The units of a configuration, keyed "vrrp_sync_group NAME" / "VRRP_Instance(NAME)", in file order. */
    static Map<String, KeepalivedConfig> split(KeepalivedConfig c) {
        Map<String, KeepalivedConfig> out = new LinkedHashMap<>();
        Map<String, VrrpInstance> byName = new LinkedHashMap<>();
        c.vrrpInstances().forEach(i -> byName.put(i.name(), i));
        Set<String> grouped = new LinkedHashSet<>();
        for (VrrpSyncGroup g : c.syncGroups()) {
            List<VrrpInstance> members = new ArrayList<>();
            for (String m : g.members()) {
                VrrpInstance i = byName.get(m);
                if (i != null && grouped.add(m)) {
                    members.add(i);
                }
            }
            if (!members.isEmpty()) {
                out.put("vrrp_sync_group " + g.name(), sub(c, List.of(g), members));
            }
        }
        for (VrrpInstance i : c.vrrpInstances()) {
            if (!grouped.contains(i.name())) {
                out.put("VRRP_Instance(" + i.name() + ")", sub(c, List.of(), List.of(i)));
            }
        }
        return out;
    }

    private static KeepalivedConfig sub(KeepalivedConfig c, List<VrrpSyncGroup> groups, List<VrrpInstance> members) {
        Set<String> scripts = new LinkedHashSet<>();
        Set<String> files = new LinkedHashSet<>();
        for (VrrpInstance i : members) {
            i.trackScripts().stream().map(TrackedScript::name).forEach(scripts::add);
            i.trackFiles().stream().map(TrackedFile::name).forEach(files::add);
        }
        for (VrrpSyncGroup g : groups) {
            g.trackScripts().stream().map(TrackedScript::name).forEach(scripts::add);
            g.trackFiles().stream().map(TrackedFile::name).forEach(files::add);
        }
        Map<String, VrrpScript> vs = new LinkedHashMap<>();
        c.vrrpScripts().forEach((k, v) -> {
            if (scripts.contains(k)) {
                vs.put(k, v);
            }
        });
        Map<String, TrackFile> tf = new LinkedHashMap<>();
        c.trackFiles().forEach((k, v) -> {
            if (files.contains(k)) {
                tf.put(k, v);
            }
        });
        return new KeepalivedConfig(c.globalDefs(), vs, tf, groups, members, Map.of(), List.of(), List.of(),
                List.of(), List.of(), c.trackProcesses());
    }

    /**
     * What a reload does to one unit: RESTART when its instances are not the same ones (sync group membership) or
     * when one instance must restart; UPDATE when one changed in place; else KEEP. The changed fields are named per
     * instance.
     */
    static ReloadDecision.Decision plan(KeepalivedConfig before, KeepalivedConfig after) {
        Set<String> a = new LinkedHashSet<>();
        before.vrrpInstances().forEach(i -> a.add(i.name()));
        Set<String> b = new LinkedHashSet<>();
        after.vrrpInstances().forEach(i -> b.add(i.name()));
        if (!a.equals(b)) {
            return new ReloadDecision.Decision(ReloadDecision.Kind.RESTART,
                    List.of("vrrp_sync_group.members " + a + " -> " + b));
        }
        List<String> restart = new ArrayList<>();
        List<String> update = new ArrayList<>();
        for (String name : b) {
            ReloadDecision.Decision d = ReloadDecision.decide(before, after, name);
            for (String c : d.changed()) {
                (d.kind() == ReloadDecision.Kind.RESTART ? restart : update).add(name + ": " + c);
            }
        }
        if (!restart.isEmpty()) {
            return new ReloadDecision.Decision(ReloadDecision.Kind.RESTART, restart);
        }
        return new ReloadDecision.Decision(update.isEmpty() ? ReloadDecision.Kind.KEEP : ReloadDecision.Kind.UPDATE,
                update);
    }

    /** Deep equality of configuration records, ignoring every {@link io.javalived.config.model.Origin}. */
    static boolean sameIgnoringOrigin(Object a, Object b) {
        return ReloadDecision.sameIgnoringOrigin(a, b);
    }
}
