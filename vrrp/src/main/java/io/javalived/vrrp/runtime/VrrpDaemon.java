package io.javalived.vrrp.runtime;

import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.TrackFile;
import io.javalived.config.model.TrackedFile;
import io.javalived.config.model.TrackedInterface;
import io.javalived.config.model.TrackedScript;
import io.javalived.config.model.UnicastPeer;
import io.javalived.config.model.VrrpScript;
import io.javalived.config.model.VrrpSyncGroup;
import io.javalived.netlink.ffi.NativeException;
import io.javalived.netlink.inet.Interfaces;
import io.javalived.netlink.route.AddressManager;
import io.javalived.netlink.route.RouteManager;
import io.javalived.netlink.route.LinkMonitor;
import io.javalived.vrrp.net.VirtualAddresses;
import io.javalived.vrrp.net.VirtualRoutes;
import io.javalived.vrrp.net.Vmac;
import io.javalived.vrrp.net.VrrpHost;
import io.javalived.vrrp.notify.Notifier;
import io.javalived.vrrp.packet.ValidatorSettings;
import io.javalived.vrrp.packet.VrrpValidator;
import io.javalived.vrrp.state.VrrpSettings;
import io.javalived.vrrp.state.VrrpStateMachine;
import io.javalived.vrrp.track.FileTracker;
import io.javalived.vrrp.track.ScriptTracker;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;

/**
 * All VRRP instances of one configuration in one process: sockets, VIPs, trackers (vrrp_script, track_interface),
 * notify scripts and sync groups. {@link #start()} then {@link #stop()} (priority 0 + VIPs removed for masters).
 */
public final class VrrpDaemon implements AutoCloseable {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    private volatile KeepalivedConfig config; // replaced by update (a reload)
    private final Map<String, VrrpInstance> instances = new LinkedHashMap<>();
    private final Map<String, Trackers> trackers = new LinkedHashMap<>();
    private final Map<String, ScriptTracker> scripts = new LinkedHashMap<>();
    private final Map<String, FileTracker> files = new LinkedHashMap<>();
    /** vrrp_track_process: one tracker for all of them (null when none is defined). */
    private io.javalived.vrrp.track.ProcessTracker processes;
    private final List<GroupRuntime> groups = new ArrayList<>();
    private final Notifier notifier = new Notifier();

    /** Where INSTANCE and GROUP lines go (notify_fifo, vrrp_notify_fifo). Set before {@link #start()}. */
    public void notifyFifos(io.javalived.vrrp.notify.NotifyFifos fifos) {
        notifier.fifos(fifos);
    }

    /** Where smtp_alert mails go. Set before {@link #start()}. */
    public void smtpAlerter(io.javalived.vrrp.notify.SmtpAlerter smtp) {
        notifier.smtp(smtp);
    }
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(1, r -> daemon(r, "vrrp-timer"));
    private final ExecutorService scriptRunners = Executors.newCachedThreadPool(r -> daemon(r, "vrrp-script"));
    private AddressManager addresses;
    private volatile RouteManager routeKernel;
    /** use_vmac interfaces made at start, deleted at stop. */
    private final List<Vmac> vmacs = new ArrayList<>();
    /** Instance name → the interface its VIPs go on by default (its VMAC with use_vmac). */
    private final Map<String, String> vipInterfaces = new java.util.concurrent.ConcurrentHashMap<>();
    private LinkMonitor links;
    private volatile boolean stopped;
    private volatile BiConsumer<String, io.javalived.vrrp.state.VrrpState> stateListener = (n, st) -> { };

    private final boolean keepVirtualIpsAtStart;

    /** With javalived's start-up rule: VIPs found on the interfaces at start are kept (see below). */
    public VrrpDaemon(KeepalivedConfig config) {
        this(config, true);
    }

    /**
     * @param keepVirtualIpsAtStart true (javalived): an instance whose VIPs are found on the interfaces at start (a
     *                              previous run was MASTER and died without cleaning up) keeps them while it listens
     *                              for a master for master_down, and becomes MASTER without removing them unless a
     *                              master that wins the election is heard
     *                              ({@link VrrpStateMachine#keepVirtualIpsAtStart()}); false (keepalived 2.2.7, the
     *                              {@code run --clean-start} flag): they are removed and the instance starts BACKUP
     */
    public VrrpDaemon(KeepalivedConfig config, boolean keepVirtualIpsAtStart) {
        this.config = config;
        this.keepVirtualIpsAtStart = keepVirtualIpsAtStart;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Told (instance name, new state) after every state change of every instance. Set before {@link #start()}. */
    public void onStateChange(BiConsumer<String, io.javalived.vrrp.state.VrrpState> listener) {
        this.stateListener = listener;
    }

    public Map<String, VrrpInstance> instances() {
        return instances;
    }

    /** Opens sockets and starts every instance. Throws with a message naming the instance and interface. */
    public void start() throws VrrpStartException {
        try {
            startInstances();
        } catch (NativeException e) {
            throw new VrrpStartException(e.getMessage());
        }
    }

    private void startInstances() throws NativeException, VrrpStartException {
        GlobalDefs g = config.globalDefs();
        addresses = new AddressManager();
        if (config.vrrpInstances().stream().anyMatch(i -> !i.virtualRoutes().isEmpty()
                || !i.virtualRules().isEmpty())) {
            routeKernel = new RouteManager();
        }
        links = new LinkMonitor();
        for (VrrpScript vs : config.vrrpScripts().values()) {
            scripts.put(vs.name(), new ScriptTracker(vs, timer, scriptRunners));
        }
        for (TrackFile tf : config.trackFiles().values()) {
            files.put(tf.name(), new FileTracker(tf));
        }
        if (!config.trackProcesses().isEmpty()) {
            processes = new io.javalived.vrrp.track.ProcessTracker(config.trackProcesses().values(), timer);
            processes.start(); // before the trackers read it: their first priority counts the processes found
        }
        for (io.javalived.config.model.VrrpInstance ci : config.vrrpInstances()) {
            String ifname = ci.interfaceName().orElse(null);
            if (ifname == null) {
                throw new VrrpStartException("VRRP_Instance(" + ci.name() + ") at " + ci.origin()
                        + " has no interface - add 'interface IFNAME' to the vrrp_instance block");
            }
            if (links.byName(ifname) == null) {
                throw new VrrpStartException("VRRP_Instance(" + ci.name() + ") at " + ci.origin() + ": interface "
                        + ifname + " does not exist in this network namespace - check 'interface' or create it");
            }
            if (links.byName(ifname).loopback()) { // keepalived refuses it too, and -t fails on it
                throw new VrrpStartException("VRRP_Instance(" + ci.name() + ") at " + ci.origin()
                        + ": cannot use a loopback interface (" + ifname + ") for vrrp - set 'interface' to the"
                        + " interface facing the peers");
            }
            List<InetAddress> peers = ci.unicastPeers().stream().map(UnicastPeer::address).toList();
            String sendIf = ifname;
            String vipIf = ifname;
            if (ci.useVmac()) {
                Vmac vmac = vmac(ci, ifname);
                vmacs.add(vmac);
                vipIf = vmac.name();
                if (!ci.vmacXmitBase()) {
                    sendIf = vmac.name(); // the adverts carry the virtual MAC
                }
            }
            vipInterfaces.put(ci.name(), vipIf);
            VrrpHost host;
            try {
                host = new VrrpHost(ci.name(), ifname, sendIf, ci.isIpv6(), ci.sourceAddress().orElse(null), peers,
                        ci.mcastDstIp(), addresses);
            } catch (NativeException e) {
                throw new VrrpStartException("VRRP_Instance(" + ci.name() + ") at " + ci.origin() + " on interface "
                        + ifname + ": " + e.getMessage());
            }
            VirtualAddresses vips = new VirtualAddresses(ci.name(), vipIf, onVmac(ci, ci.virtualIpAddresses()),
                    onVmac(ci, ci.virtualIpAddressesExcluded()), addresses);
            ValidatorSettings vs = ValidatorSettings.from(ci, g.v3ChecksumAsV2(), false, false);
            VrrpInstance.Options opts = options(config, ci, g, vs);
            VrrpStateMachine sm = new VrrpStateMachine(VrrpSettings.from(ci, host.source()));
            VrrpInstance inst = new VrrpInstance(ci.name(), opts, sm, new VrrpValidator(vs), host, vips, notifier,
                    timer);
            VirtualRoutes vroutes = routes(ci);
            inst.setRoutes(vroutes);
            String instName = ci.name();
            inst.onStateChange(st -> stateListener.accept(instName, st));
            instances.put(ci.name(), inst);
            trackers.put(ci.name(), trackers(config, ci, inst));
            // a master that died without cleaning up leaves its VIPs: keep them while the state machine listens for
            // a master (javalived), or start clean as keepalived does (--clean-start)
            if (vips.anyPresent()) {
                if (keepVirtualIpsAtStart) {
                    sm.keepVirtualIpsAtStart();
                } else {
                    vips.removeAll();
                    if (!vroutes.isEmpty()) {
                        vroutes.removeAll(); // a previous master's routes and rules go with its VIPs
                    }
                }
            }
            vips.prepare();
            LOG.log(Level.INFO, "VRRP_Instance(" + ci.name() + ") on " + ifname + " vrid " + ci.virtualRouterId()
                    + " priority " + ci.priority() + " VRRPv" + ci.version()
                    + (ci.isUnicast() ? " unicast" : " multicast") + " source " + host.source().getHostAddress());
        }
        for (VrrpSyncGroup sg : config.syncGroups()) {
            List<VrrpInstance> members = new ArrayList<>();
            for (String m : sg.members()) {
                VrrpInstance i = instances.get(m);
                if (i != null) {
                    members.add(i);
                }
            }
            if (!members.isEmpty()) {
                groups.add(new GroupRuntime(sg, members, notifier));
            }
        }
        links.addListener((l, removed) -> {
            Trackers.logLink(l, removed);
            if (!removed) {
                // a re-created interface or a new MAC address: the takeover's prepared requests and frames follow
                instances.values().forEach(i -> i.linkChanged(l.name()));
            }
            trackers.values().forEach(Trackers::update);
        });
        trackers.values().forEach(Trackers::update);
        links.start();
        instances.values().forEach(VrrpInstance::start);
        scripts.values().forEach(ScriptTracker::start);
        files.values().forEach(f -> f.start(timer));
    }

    /**
     * use_vmac: as keepalived 2.2.7, a VIP of the instance's family written with the instance's own interface as dev
     * goes on the VMAC like one written without dev (its dev is dropped: the VMAC is the default); others unchanged.
     */
    static List<io.javalived.config.model.VirtualIpAddress> onVmac(io.javalived.config.model.VrrpInstance ci,
                                                                   List<io.javalived.config.model.VirtualIpAddress> l) {
        if (!ci.useVmac()) {
            return l;
        }
        List<io.javalived.config.model.VirtualIpAddress> out = new ArrayList<>();
        for (io.javalived.config.model.VirtualIpAddress v : l) {
            if (v.dev().isPresent() && v.dev().equals(ci.interfaceName()) && v.isIpv6() == ci.isIpv6()) {
                v = new io.javalived.config.model.VirtualIpAddress(v.address(), v.prefixLength(), v.broadcast(),
                        Optional.empty(), v.scope(), v.label(), v.peer(), v.noTrack(), v.noPrefixRoute(),
                        v.useVmac());
            }
            out.add(v);
        }
        return out;
    }

    /** use_vmac: the instance's VMAC interface, created and up (keepalived: at start, kept until stop). */
    private Vmac vmac(io.javalived.config.model.VrrpInstance ci, String ifname) throws VrrpStartException {
        String name = ci.vmacInterfaceName().orElse(Vmac.defaultName(ci.virtualRouterId()));
        try {
            InetAddress linkLocal = null;
            if (ci.isIpv6() && !ci.vmacXmitBase()) { // adverts from the VMAC need a link-local source on it
                linkLocal = ci.sourceAddress().orElse(VrrpHost.primaryAddress(addresses, Interfaces.index(ifname),
                        true, ifname, ci.name()));
            }
            return Vmac.create(ci.name(), name, ifname, ci.virtualRouterId(), ci.isIpv6(), linkLocal, addresses);
        } catch (NativeException e) {
            throw new VrrpStartException("VRRP_Instance(" + ci.name() + ") at " + ci.origin()
                    + ": cannot make VMAC interface " + name + " over " + ifname + ": " + e.getMessage());
        }
    }

    private VirtualRoutes routes(io.javalived.config.model.VrrpInstance ci) {
        return new VirtualRoutes("VRRP_Instance(" + ci.name() + ")", ci.virtualRoutes(), ci.virtualRules(),
                routeKernel);
    }

    private static VrrpInstance.Options options(KeepalivedConfig cfg, io.javalived.config.model.VrrpInstance ci,
                                                GlobalDefs g, ValidatorSettings vs) {
        boolean priorityChanges = notifyPriorityChanges(cfg, ci);
        return new VrrpInstance.Options(ci.version(), ci.virtualRouterId(), ci.priority(),
                ci.advertInterval().toNanos(), g.v3ChecksumAsV2(), vs.authType(), vs.authData(), 0,
                ci.notifyAny(), ci.notifyMaster(), ci.notifyBackup(), ci.notifyFault(), ci.notifyStop(),
                ci.notifyMasterRxLowerPri(), priorityChanges, ci.smtpAlert());
    }

    private static boolean sameProcess(io.javalived.config.model.TrackProcess a,
                                       io.javalived.config.model.TrackProcess b) {
        return a.withOrigin(null).equals(b.withOrigin(null));
    }

    /** keepalived (vrrp.c): the instance's notify_priority_changes, else its sync group's, else the global one. */
    static boolean notifyPriorityChanges(KeepalivedConfig cfg, io.javalived.config.model.VrrpInstance ci) {
        return ci.notifyPriorityChanges()
                .or(() -> cfg.syncGroupOf(ci.name()).flatMap(sg -> sg.notifyPriorityChanges()))
                .orElse(cfg.globalDefs().vrrpNotifyPriorityChanges());
    }

    /** The trackers of one instance (its own and its sync group's), over this daemon's script and file trackers. */
    private Trackers trackers(KeepalivedConfig cfg, io.javalived.config.model.VrrpInstance ci, VrrpInstance inst) {
        String ifname = ci.interfaceName().orElseThrow();
        Trackers t = new Trackers(inst, ci.priority());
        List<TrackedScript> ts = new ArrayList<>(ci.trackScripts());
        List<TrackedInterface> ti = new ArrayList<>(ci.trackInterfaces());
        List<TrackedFile> tfs = new ArrayList<>(ci.trackFiles());
        List<io.javalived.config.model.TrackedProcess> tps = new ArrayList<>(ci.trackProcesses());
        cfg.syncGroupOf(ci.name()).ifPresent(sg -> {
            ts.addAll(sg.trackScripts());
            ti.addAll(sg.trackInterfaces());
            tfs.addAll(sg.trackFiles());
            tps.addAll(sg.trackProcesses());
        });
        for (io.javalived.config.model.TrackedProcess p : tps) {
            if (processes == null) {
                LOG.log(Level.WARNING, "VRRP_Instance(" + ci.name() + ") track_process " + p.name()
                        + " not found - ignoring it (define it with vrrp_track_process " + p.name() + ")");
                continue;
            }
            t.addProcess(p, processes);
        }
        for (TrackedFile f : tfs) {
            FileTracker ft = files.get(f.name());
            if (ft == null) {
                LOG.log(Level.WARNING, "VRRP_Instance(" + ci.name() + ") track_file " + f.name()
                        + " not found - ignoring it (define it with track_file " + f.name() + ")");
                continue;
            }
            t.addFile(f, ft);
        }
        for (TrackedScript s : ts) {
            ScriptTracker tr = scripts.get(s.name());
            if (tr == null) {
                LOG.log(Level.WARNING, "VRRP_Instance(" + ci.name() + ") track_script " + s.name()
                        + " not found - ignoring it (define it with vrrp_script " + s.name() + ")");
                continue;
            }
            t.addScript(s, tr);
        }
        for (TrackedInterface i : ti) {
            t.addInterface(i, links);
        }
        if (!ci.dontTrackPrimary() && !t.tracksInterface(ifname)) {
            t.addOwnInterface(ifname, links);
        }
        return t;
    }

    /**
     * Applies a reload to the running instances without restarting them (keepalived 2.2.7's reload): {@code changed}
     * has the same instances and sync groups (members) as the running configuration, and no instance's identity
     * changed ({@link ReloadDecision} said KEEP or UPDATE for each). Every instance keeps its state and the VIPs it
     * holds; priorities, VIPs, advert interval, authentication, preemption, GARP settings, notify scripts,
     * trackers and unicast peers take the new values. A changed vrrp_script / track_file restarts only its tracker
     * (a script keeps its last result).
     */
    public synchronized void update(KeepalivedConfig changed) {
        if (stopped || links == null) {
            throw new IllegalStateException("the VRRP daemon is not running");
        }
        KeepalivedConfig old = config;
        for (io.javalived.config.model.VrrpInstance ci : changed.vrrpInstances()) {
            if (!instances.containsKey(ci.name())) {
                throw new IllegalArgumentException("VRRP_Instance(" + ci.name() + ") is not running here");
            }
        }
        List<ScriptTracker> newScripts = new ArrayList<>();
        Map<String, ScriptTracker> nextScripts = new LinkedHashMap<>();
        for (VrrpScript vs : changed.vrrpScripts().values()) {
            ScriptTracker cur = scripts.get(vs.name());
            if (cur != null && ReloadDecision.sameIgnoringOrigin(cur.script(), vs)) {
                nextScripts.put(vs.name(), cur);
                continue;
            }
            ScriptTracker t = cur == null ? new ScriptTracker(vs, timer, scriptRunners)
                    : new ScriptTracker(vs, timer, scriptRunners, cur.good());
            nextScripts.put(vs.name(), t);
            newScripts.add(t);
        }
        scripts.forEach((n, t) -> {
            if (nextScripts.get(n) != t) {
                t.close();
            }
        });
        scripts.clear();
        scripts.putAll(nextScripts);
        List<FileTracker> newFiles = new ArrayList<>();
        Map<String, FileTracker> nextFiles = new LinkedHashMap<>();
        for (TrackFile tf : changed.trackFiles().values()) {
            FileTracker cur = files.get(tf.name());
            if (cur != null && ReloadDecision.sameIgnoringOrigin(old.trackFiles().get(tf.name()), tf)) {
                nextFiles.put(tf.name(), cur);
                continue;
            }
            FileTracker f = new FileTracker(tf);
            nextFiles.put(tf.name(), f);
            newFiles.add(f);
        }
        files.forEach((n, f) -> {
            if (nextFiles.get(n) != f) {
                f.close();
            }
        });
        files.clear();
        files.putAll(nextFiles);
        if (!old.trackProcesses().keySet().equals(changed.trackProcesses().keySet())
                || old.trackProcesses().keySet().stream().anyMatch(k -> !old.trackProcesses().get(k).equals(
                        changed.trackProcesses().get(k)) && !sameProcess(old.trackProcesses().get(k),
                        changed.trackProcesses().get(k)))) {
            if (processes != null) {
                processes.close();
                processes = null;
            }
            if (!changed.trackProcesses().isEmpty()) {
                processes = new io.javalived.vrrp.track.ProcessTracker(changed.trackProcesses().values(), timer);
                processes.start();
            }
        }

        GlobalDefs g = changed.globalDefs();
        List<Trackers> fresh = new ArrayList<>();
        for (io.javalived.config.model.VrrpInstance ci : changed.vrrpInstances()) {
            io.javalived.config.model.VrrpInstance was = old.vrrpInstance(ci.name()).orElseThrow();
            VrrpInstance inst = instances.get(ci.name());
            Trackers before = trackers.get(ci.name());
            if (before != null) {
                before.retire();
            }
            Trackers t = trackers(changed, ci, inst);
            trackers.put(ci.name(), t);
            fresh.add(t);
            ValidatorSettings vs = ValidatorSettings.from(ci, g.v3ChecksumAsV2(), false, false);
            VirtualAddresses vips = null;
            if (!ci.virtualIpAddresses().equals(was.virtualIpAddresses())
                    || !ci.virtualIpAddressesExcluded().equals(was.virtualIpAddressesExcluded())) {
                vips = new VirtualAddresses(ci.name(), vipInterfaces.get(ci.name()),
                        onVmac(ci, ci.virtualIpAddresses()), onVmac(ci, ci.virtualIpAddressesExcluded()), addresses);
                vips.prepare();
            }
            if (!ci.virtualRoutes().equals(was.virtualRoutes()) || !ci.virtualRules().equals(was.virtualRules())) {
                if (routeKernel == null) {
                    try {
                        routeKernel = new RouteManager();
                    } catch (NativeException e) {
                        throw new IllegalStateException("cannot open rtnetlink for the virtual routes: "
                                + e.getMessage());
                    }
                }
                inst.reconfigureRoutes(routes(ci));
            }
            List<InetAddress> peers = ci.unicastPeers().equals(was.unicastPeers()) ? null
                    : ci.unicastPeers().stream().map(UnicastPeer::address).toList();
            inst.reconfigure(options(changed, ci, g, vs), VrrpSettings.from(ci, inst.source()), new VrrpValidator(vs), vips,
                    peers, t.totalPriority());
        }
        for (GroupRuntime gr : groups) {
            changed.syncGroups().stream().filter(sg -> sg.name().equals(gr.name())).findFirst()
                    .ifPresent(gr::reconfigure);
        }
        config = changed;
        fresh.forEach(Trackers::update); // a changed tracker may also mean FAULT, or FAULT cleared
        newScripts.forEach(ScriptTracker::start);
        newFiles.forEach(f -> f.start(timer));
    }

    /** The instances' current states, trackers and counters, in configuration order. */
    public List<InstanceStatus> status() {
        List<InstanceStatus> out = new ArrayList<>();
        for (io.javalived.config.model.VrrpInstance ci : config.vrrpInstances()) {
            VrrpInstance i = instances.get(ci.name());
            if (i == null) {
                continue;
            }
            Trackers t = trackers.get(ci.name());
            List<String> vips = new ArrayList<>();
            for (io.javalived.config.model.VirtualIpAddress v : ci.virtualIpAddresses()) {
                vips.add(v.address().getHostAddress() + "/" + v.prefixLength() + " dev "
                        + v.dev().orElse(ci.interfaceName().orElse("?")));
            }
            out.add(new InstanceStatus(ci.name(), ci.interfaceName().orElse(null), i.vrid(), i.version(),
                    i.state().name(), i.basePriority(), i.priority(), List.copyOf(vips), i.stateSince(),
                    i.masterSince(), config.syncGroupOf(ci.name()).map(g -> g.name()).orElse(null),
                    t == null ? List.of() : t.status(), i.counters().snapshot()));
        }
        return out;
    }

    /** Graceful stop: masters send priority 0 and remove their VIPs; notify_stop runs. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        scripts.values().forEach(ScriptTracker::close);
        files.values().forEach(FileTracker::close);
        if (processes != null) {
            processes.close();
        }
        List<Thread> ts = new ArrayList<>();
        for (VrrpInstance i : instances.values()) {
            Thread t = new Thread(() -> i.stop(2000), "vrrp-stop-" + i.name());
            t.start();
            ts.add(t);
        }
        for (Thread t : ts) {
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        notifier.drain(3000);
        vmacs.forEach(Vmac::close); // after the instances released their VIPs and sent priority 0
        vmacs.clear();
        if (links != null) {
            links.close();
        }
        if (addresses != null) {
            addresses.close();
        }
        if (routeKernel != null) {
            routeKernel.close();
        }
        timer.shutdownNow();
        scriptRunners.shutdownNow();
    }

    @Override
    public void close() {
        stop();
    }
}
