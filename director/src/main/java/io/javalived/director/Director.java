package io.javalived.director;

import io.javalived.checkers.CheckScheduler;
import io.javalived.director.CheckerFactory;
import io.javalived.checkers.CheckerListener;
import io.javalived.inet.RealServerKey;
import io.javalived.checkers.Transition;
import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.ipvs.IpvsClient;
import io.javalived.ipvs.IpvsClient.OpResult;
import io.javalived.ipvs.IpvsOp;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.Reconciler;
import io.javalived.ipvs.ServiceKey;
import io.javalived.netlink.NetlinkException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The thin adapter around {@link VirtualServerManager}: checker verdicts in, IPVS changes and scripts out, all on one
 * thread ("javalived-director"). See the package documentation for the one-call integration.
 */
public final class Director implements AutoCloseable, OperatorControl {
    private static final Logger LOG = System.getLogger("io.javalived.director");
    static final long RETRY_MILLIS = 1000;
    /** How often a draining real server's connections are counted. */
    static final long DRAIN_POLL_MILLIS = 1000;

    /** The kernel side: {@link #of(IpvsClient)} for the real one, a fake in unit tests. */
    public interface Kernel {
        /** The service list, with the destinations of the owned services (see {@link Reconciler#readOwned}). */
        IpvsTable readOwned(Set<ServiceKey> owned) throws NetlinkException;

        List<OpResult> applyAll(List<IpvsOp> ops) throws NetlinkException;

        /** ipvsadm -C. */
        void flush() throws NetlinkException;

        /** ipvsadm -L --timeout (lvs_timeouts only). */
        default io.javalived.ipvs.IpvsTimeouts timeouts() throws NetlinkException {
            throw new UnsupportedOperationException("this kernel has no connection timeouts");
        }

        /** ipvsadm --set (lvs_timeouts only). */
        default void setTimeouts(io.javalived.ipvs.IpvsTimeouts t) throws NetlinkException {
            throw new UnsupportedOperationException("this kernel has no connection timeouts");
        }

        static Kernel of(IpvsClient client) {
            return new Kernel() {
                public IpvsTable readOwned(Set<ServiceKey> owned) throws NetlinkException {
                    return Reconciler.readOwned(client, owned);
                }

                public List<OpResult> applyAll(List<IpvsOp> ops) throws NetlinkException {
                    return client.applyAll(ops);
                }

                public void flush() throws NetlinkException {
                    client.flush();
                }

                public io.javalived.ipvs.IpvsTimeouts timeouts() throws NetlinkException {
                    return client.timeouts();
                }

                public void setTimeouts(io.javalived.ipvs.IpvsTimeouts t) throws NetlinkException {
                    client.setTimeouts(t);
                }
            };
        }
    }

    /**
     * @param releaseOnStop  remove the owned virtual servers on {@link #close()} (keepalived's default; false = its
     *                       --dont-release-ipvs, which leaves the table for a restart without dropping traffic)
     * @param scripts        runs notify_up/notify_down/quorum_up/quorum_down
     * @param downWhereAbsent javalived's start-up rule (default): a real server with checkers that the kernel's table
     *                       of its (already present) service leaves out starts down until its checkers pass
     *                       ({@link VirtualServerManager#startDownWhereAbsent}); false = keepalived's "up unless
     *                       alpha" ({@code run --clean-start})
     * @param stateFile      where the operator overrides are kept across restarts ({@link OverrideStore}); null: in
     *                       memory only
     * @param fifos          where VS and RS lines go (notify_fifo, lvs_notify_fifo)
     * @param smtp           sends the real server and virtual server mails (smtp_alert) in the background
     */
    public record Options(boolean releaseOnStop, ScriptRunner scripts, boolean downWhereAbsent,
                          java.nio.file.Path stateFile, io.javalived.vrrp.notify.NotifyFifos fifos,
                          io.javalived.vrrp.notify.SmtpAlerter smtp) {
        public Options(boolean releaseOnStop, ScriptRunner scripts, boolean downWhereAbsent,
                       java.nio.file.Path stateFile, io.javalived.vrrp.notify.NotifyFifos fifos) {
            this(releaseOnStop, scripts, downWhereAbsent, stateFile, fifos, io.javalived.vrrp.notify.SmtpAlerter.NONE);
        }

        public Options(boolean releaseOnStop, ScriptRunner scripts, boolean downWhereAbsent,
                       java.nio.file.Path stateFile) {
            this(releaseOnStop, scripts, downWhereAbsent, stateFile, io.javalived.vrrp.notify.NotifyFifos.NONE);
        }

        public Options(boolean releaseOnStop, ScriptRunner scripts) {
            this(releaseOnStop, scripts, true, null);
        }

        public Options(boolean releaseOnStop, ScriptRunner scripts, boolean downWhereAbsent) {
            this(releaseOnStop, scripts, downWhereAbsent, null);
        }

        public static Options defaults() {
            return new Options(true, new ScriptRunner.Processes());
        }
    }

    /** How often real servers started down by {@link Options#downWhereAbsent} are looked at (checker passed?). */
    static final long AWAIT_POLL_MILLIS = 100;

    private volatile KeepalivedConfig config;
    private final Kernel kernel;
    private final CheckScheduler checks;
    private final Options options;
    private final ScheduledExecutorService thread;
    private volatile Map<RealServerKey, CheckScheduler.RealServerHandle> handles = new LinkedHashMap<>();
    private final CheckerListener listener;
    // below: touched on the director thread only
    private VirtualServerManager manager;
    private Set<ServiceKey> owned = Set.of();
    private ScheduledFuture<?> retry;
    private boolean kernelFailing;
    private boolean reconcileQueued;
    private Map<ServiceKey, Reconciler.Desired> lastApplied;
    private volatile boolean closed;
    private volatile Reconciler.Result lastResult;
    /** Started down because absent from the kernel's table; up at their checkers' first pass (director thread). */
    private final Set<RealServerKey> awaitingCheck = new LinkedHashSet<>();
    private ScheduledFuture<?> awaitPoll;
    private ScheduledFuture<?> drainPoll;
    /** Connections (active + inactive) of the draining real servers at the last count. */
    private final Map<RealServerKey, Long> drainConnections = new LinkedHashMap<>();
    private java.time.Clock clock = java.time.Clock.systemUTC();
    /** The anycast announcements (javalived extension), null without; director thread. */
    private io.javalived.director.anycast.AnycastRoutes anycast;
    private ScheduledFuture<?> anycastTick;
    /** How often quorum is looked at for the anycast routes (their min_up / hold_down run on this clock). */
    static final long ANYCAST_TICK_MILLIS = 100;
    /** lvs_timeouts: the kernel's originals once changed (director thread). */
    private final LvsTimeouts timeouts = new LvsTimeouts();

    private Director(KeepalivedConfig config, Kernel kernel, CheckScheduler checks, Options options) {
        this.config = config;
        this.kernel = kernel;
        this.checks = checks;
        this.options = options;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "javalived-director");
            t.setDaemon(true);
            return t;
        });
        this.listener = new CheckerListener() {
            @Override
            public void onTransition(Transition t) {
                submit(() -> {
                    awaitingCheck.remove(t.realServer()); // the checker's own verdicts from now on
                    if (manager != null) {
                        perform(manager.onTransition(t.realServer(), t.up(), t.checker(),
                                t.reason() == io.javalived.checkers.FailureClass.SCRIPT_TIMEOUT));
                        requestReconcile();
                    }
                });
            }

            @Override
            public void onCheckerChange(RealServerKey rs, String checker, boolean up,
                                        io.javalived.checkers.FailureClass reason) {
                KeepalivedConfig c = Director.this.config;
                if (c.globalDefs() != null && c.globalDefs().noCheckerEmails()) {
                    return; // keepalived: only the checker that changes the real server's state mails
                }
                submit(() -> {
                    if (manager != null) {
                        perform(manager.onCheckerChange(rs, up, checker,
                                reason == io.javalived.checkers.FailureClass.SCRIPT_TIMEOUT));
                    }
                });
            }

            @Override
            public void onWeight(RealServerKey rs, String checker, int weight) {
                submit(() -> {
                    if (manager != null) {
                        perform(manager.onWeight(rs, weight));
                        requestReconcile();
                    }
                });
            }
        };
    }

    /** {@link #start(KeepalivedConfig, Kernel, CheckScheduler, Options)} with the real kernel and default options. */
    public static Director start(KeepalivedConfig config, IpvsClient client, CheckScheduler checks) {
        return start(config, Kernel.of(client), checks, Options.defaults());
    }

    /**
     * Registers every real server's checkers with {@code checks}, builds the manager from their initial verdicts (up
     * unless alpha), runs the start-up scripts and reconciles the kernel table (keeping what already matches, so a
     * restart does not drop traffic). Returns when the first reconcile is done; later changes follow the checkers.
     *
     * @throws IllegalArgumentException when a checker or a virtual server cannot be built (the message names the
     *                                  block's file:line); nothing is left registered or changed
     */
    public static Director start(KeepalivedConfig config, Kernel kernel, CheckScheduler checks, Options options) {
        Director d = new Director(config, kernel, checks, options);
        checks.addListener(d.listener);
        try {
            for (CheckScheduler.RealServerHandle h
                    : CheckerFactory.registerAll(checks, config, CheckerFactory.Extras.KEEPALIVED)) {
                d.handles.put(h.id(), h);
            }
        } catch (RuntimeException e) {
            d.abandon();
            throw e;
        }
        try {
            d.call(() -> {
                d.init();
                return null;
            });
        } catch (RuntimeException e) {
            d.abandon();
            throw e.getCause() instanceof RuntimeException c ? c : e;
        }
        return d;
    }

    private void init() {
        manager = new VirtualServerManager(config.virtualServers(), config.virtualServerGroups(), id -> {
            CheckScheduler.RealServerHandle h = handles.get(id);
            return h == null || h.isUp();
        });
        // the operator's overrides first: a server the operator took out is absent by choice, not kept out for a check
        perform(manager.restore(loadOverrides(), false));
        boolean lvsFlush = config.globalDefs() != null && config.globalDefs().lvsFlush();
        if (options.downWhereAbsent() && !lvsFlush) {
            startDownWhereAbsent();
        }
        perform(manager.start());
        if (lvsFlush) {
            try {
                kernel.flush(); // lvs_flush: the operator asked for a clean table at start
            } catch (NetlinkException e) {
                LOG.log(Level.ERROR, "IPVS: lvs_flush: cannot flush the table at start (" + describe(e) + ")");
            }
        }
        applyTimeouts();
        reconcile();
        scheduleDrainPoll();
    }

    private LvsTimeouts.Kernel timeoutKernel() {
        return new LvsTimeouts.Kernel() {
            public io.javalived.ipvs.IpvsTimeouts timeouts() throws NetlinkException {
                return kernel.timeouts();
            }

            public void setTimeouts(io.javalived.ipvs.IpvsTimeouts t) throws NetlinkException {
                kernel.setTimeouts(t);
            }
        };
    }

    /** lvs_timeouts at start and reload (keepalived's start_check): set, or the originals back when removed. */
    private void applyTimeouts() {
        GlobalDefs.LvsTimeouts cfg = config.globalDefs() == null ? null : config.globalDefs().lvsTimeouts();
        try {
            io.javalived.ipvs.IpvsTimeouts set = timeouts.apply(cfg, timeoutKernel());
            if (set != null) {
                LOG.log(Level.INFO, "IPVS: connection timeouts set to tcp " + set.tcp() + " tcpfin " + set.tcpFin()
                        + " udp " + set.udp() + (set == timeouts.original() ? " (restored)" : ""));
            }
        } catch (NetlinkException | RuntimeException e) {
            LOG.log(Level.ERROR, "IPVS: Failed to set ipvs timeouts (" + e.getMessage() + "); lvs_timeouts of "
                    + "global_defs is not applied: check it against ipvsadm -L --timeout");
        }
    }

    /**
     * javalived's start-up rule: real servers that the previous run's table left out start down
     * ({@link VirtualServerManager#startDownWhereAbsent}); they come up at their checkers' first pass (polled, since
     * a checker that starts up and passes reports no transition) or by a later transition.
     */
    private void startDownWhereAbsent() {
        IpvsTable current;
        try {
            current = kernel.readOwned(manager.desired().keySet());
        } catch (NetlinkException | RuntimeException e) {
            LOG.log(Level.WARNING, "IPVS: cannot read the table at start (" + e.getMessage() + "): real servers start"
                    + " up unless alpha, as keepalived");
            return;
        }
        List<DirectorAction> lines = new java.util.ArrayList<>();
        awaitingCheck.addAll(manager.startDownWhereAbsent(current, lines));
        perform(lines);
        if (!awaitingCheck.isEmpty()) {
            awaitPoll = thread.scheduleWithFixedDelay(this::pollAwaiting, AWAIT_POLL_MILLIS, AWAIT_POLL_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** A real server started down comes up once every checker of it has passed its last attempt and is up. */
    private void pollAwaiting() {
        try {
            boolean changed = false;
            for (java.util.Iterator<RealServerKey> it = awaitingCheck.iterator(); it.hasNext(); ) {
                RealServerKey id = it.next();
                CheckScheduler.RealServerHandle h = handles.get(id);
                if (h == null) {
                    it.remove();
                    continue;
                }
                List<io.javalived.checkers.CheckStatus> cs = h.checkStatus();
                if (h.isUp() && !cs.isEmpty() && cs.stream().allMatch(c -> c.up() && c.lastOk())) {
                    it.remove();
                    if (manager != null && !closed) {
                        perform(manager.onTransition(id, true));
                        changed = true;
                    }
                }
            }
            if (changed) {
                requestReconcile();
            }
            if (awaitingCheck.isEmpty() && awaitPoll != null) {
                awaitPoll.cancel(false);
                awaitPoll = null;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "director: unexpected error bringing up real servers started down: " + e);
        }
    }

    /**
     * Reload: applies a new configuration as a diff. The new real servers' checkers are registered while the old ones
     * still run (an unchanged checker keeps its probe and its current verdict), unchanged virtual servers keep their
     * quorum state and dynamic weights (no "Gained quorum" again), then the old checkers are closed and the kernel is
     * reconciled: unchanged services and destinations are not touched, removed virtual servers are deleted, new ones
     * added. If a checker or a virtual server of the new configuration cannot be built (IllegalArgumentException
     * naming the block's file:line), nothing changes.
     */
    public void reload(KeepalivedConfig newConfig) {
        if (closed) {
            throw new IllegalStateException("director closed");
        }
        Map<RealServerKey, CheckScheduler.RealServerHandle> fresh = new LinkedHashMap<>();
        try {
            for (CheckScheduler.RealServerHandle h
                    : CheckerFactory.registerAll(checks, newConfig, CheckerFactory.Extras.KEEPALIVED)) {
                fresh.put(h.id(), h);
            }
        } catch (RuntimeException e) {
            fresh.values().forEach(CheckScheduler.RealServerHandle::close);
            throw e;
        }
        VirtualServerManager next;
        try {
            next = new VirtualServerManager(newConfig.virtualServers(), newConfig.virtualServerGroups(), id -> {
                CheckScheduler.RealServerHandle h = fresh.get(id);
                return h == null || h.isUp();
            });
        } catch (RuntimeException e) {
            fresh.values().forEach(CheckScheduler.RealServerHandle::close);
            throw e;
        }
        call(() -> {
            if (manager != null) {
                next.adopt(manager);
                OverrideStore.Overrides before = manager.overrides();
                perform(next.restore(before, true));
                if (!next.overrides().equals(before)) {
                    saveOverrides(next); // dropped ones are gone from the file too
                }
            }
            Map<RealServerKey, CheckScheduler.RealServerHandle> old = handles;
            handles = fresh;
            awaitingCheck.clear(); // the new manager takes the handles' verdicts
            config = newConfig;
            manager = next;
            perform(next.start());
            old.values().forEach(CheckScheduler.RealServerHandle::close);
            lastApplied = null; // a full round after a reload
            applyTimeouts();
            reconcile();
            drainConnections.keySet().retainAll(next.draining().keySet());
            scheduleDrainPoll();
            return null;
        });
    }

    /**
     * ha_suspend: the daemon calls this on VRRP state changes (true while this node is not MASTER, i.e. does not own
     * the virtual addresses). Virtual servers without ha_suspend are not affected.
     */
    public void setHaSuspended(boolean suspend) {
        submit(() -> {
            if (manager != null) {
                perform(manager.setHaSuspended(suspend));
                requestReconcile();
            }
        });
    }

    /**
     * Starts announcing the anycast virtual servers (javalived extension) through {@code routes}: their quorum is
     * looked at every {@value #ANYCAST_TICK_MILLIS} ms, the routes follow (min_up, hold_down) and are withdrawn when
     * the director closes.
     */
    public void announce(io.javalived.director.anycast.AnycastRoutes routes) {
        call(() -> {
            anycast = routes;
            anycastTick();
            anycastTick = thread.scheduleWithFixedDelay(this::anycastTick, ANYCAST_TICK_MILLIS, ANYCAST_TICK_MILLIS,
                    TimeUnit.MILLISECONDS);
            return null;
        });
    }

    private void anycastTick() {
        try {
            if (anycast != null && manager != null && !closed) {
                VirtualServerManager m = manager;
                anycast.apply(config.virtualServers(), m::quorumUp, clock.instant());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "director: unexpected error in the anycast announcements: " + e);
        }
    }

    /** The anycast announcements now, by virtual server (empty without anycast). */
    public Map<io.javalived.inet.VirtualServerKey, io.javalived.director.status.AnycastStatus> anycastStatus() {
        return call(() -> anycast == null ? Map.of() : anycast.status());
    }

    /** The services this director created or adopted (its desired keys), as of the last reconcile. */
    public Set<ServiceKey> owned() {
        return call(() -> Set.copyOf(owned));
    }

    /** The desired table now (a snapshot, read on the director thread). */
    public Map<ServiceKey, Reconciler.Desired> desired() {
        return call(() -> manager == null ? Map.of() : manager.desired());
    }

    /** The virtual servers, real servers and checkers now (read on the director thread). */
    public List<io.javalived.director.status.VirtualServerStatus> status() {
        return call(() -> {
            if (manager == null) {
                return List.<io.javalived.director.status.VirtualServerStatus>of();
            }
            Map<RealServerKey, CheckScheduler.RealServerHandle> hs = handles;
            List<io.javalived.director.status.VirtualServerStatus> list = manager.status(id -> {
                CheckScheduler.RealServerHandle h = hs.get(id);
                return h == null ? List.of() : h.checkStatus();
            }, id -> {
                CheckScheduler.RealServerHandle h = hs.get(id);
                return h == null ? null : h.since();
            }, drainConnections::get);
            if (anycast == null) {
                return list;
            }
            Map<String, io.javalived.director.status.AnycastStatus> byName = new LinkedHashMap<>();
            anycast.status().forEach((k, a) -> byName.put(k.toString(), a));
            return list.stream().map(v -> byName.containsKey(v.name()) ? v.withAnycast(byName.get(v.name())) : v)
                    .toList();
        });
    }

    /** The last reconcile's result, or null before the first. */
    public Reconciler.Result lastResult() {
        return lastResult;
    }

    /** Waits until every event queued so far has been handled (for tests and orderly shutdown). */
    public void sync() {
        call(() -> null);
    }

    /**
     * Stops: closes the checks of this configuration, logs keepalived's "Shutting down" lines, runs the omega scripts,
     * then removes what it owns — everything if lvs_flush_on_stop ALL, the owned virtual servers otherwise (unless
     * {@link Options#releaseOnStop()} is false). Services it does not own are never touched.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        checks.removeListener(listener);
        for (CheckScheduler.RealServerHandle h : handles.values()) {
            h.close();
        }
        try {
            call(this::stopOnThread);
        } finally {
            closed = true;
            thread.shutdownNow();
        }
    }

    private Void stopOnThread() {
        if (retry != null) {
            retry.cancel(false);
        }
        if (awaitPoll != null) {
            awaitPoll.cancel(false);
            awaitPoll = null;
        }
        if (drainPoll != null) {
            drainPoll.cancel(false);
        }
        if (anycastTick != null) {
            anycastTick.cancel(false);
        }
        if (anycast != null) {
            anycast.stop(clock.instant()); // the routes go first: no new flows towards a director that is stopping
        }
        if (manager != null) {
            perform(manager.shutdown());
        }
        GlobalDefs.LvsFlushOnStop flush = config.globalDefs() == null ? GlobalDefs.LvsFlushOnStop.NONE
                : config.globalDefs().lvsFlushOnStop();
        try {
            if (flush == GlobalDefs.LvsFlushOnStop.ALL) {
                kernel.flush();
                owned = Set.of();
            } else if (options.releaseOnStop() || flush == GlobalDefs.LvsFlushOnStop.VS) {
                IpvsTable current = kernel.readOwned(owned);
                Reconciler.Result r = Reconciler.apply(kernel::applyAll, Reconciler.plan(Map.of(), current, owned));
                report(r);
                owned = r.ownedAfter();
            }
        } catch (NetlinkException e) {
            LOG.log(Level.ERROR, "IPVS: cannot remove the virtual servers on stop (" + describe(e) + "); they stay in"
                    + " the kernel: list them with ipvsadm -Ln and remove them with ipvsadm -D");
        }
        try {
            io.javalived.ipvs.IpvsTimeouts back = timeouts.restore(timeoutKernel());
            if (back != null) {
                LOG.log(Level.INFO, "IPVS: connection timeouts restored to tcp " + back.tcp() + " tcpfin "
                        + back.tcpFin() + " udp " + back.udp());
            }
        } catch (NetlinkException | RuntimeException e) {
            LOG.log(Level.ERROR, "IPVS: cannot restore the connection timeouts on stop (" + e.getMessage()
                    + "): set them with ipvsadm --set");
        }
        return null;
    }

    private void abandon() {
        checks.removeListener(listener);
        for (CheckScheduler.RealServerHandle h : handles.values()) {
            h.close();
        }
        thread.shutdownNow();
        closed = true;
    }

    // ---- on the director thread

    private void perform(List<DirectorAction> actions) {
        for (DirectorAction a : actions) {
            if (a instanceof DirectorAction.Log l) {
                LOG.log(l.level(), l.message());
            } else if (a instanceof DirectorAction.FifoLine f) {
                options.fifos().lvs(f.line());
            } else if (a instanceof DirectorAction.SmtpAlert m) {
                options.smtp().alert(m.subject(), m.body()); // queued: a slow SMTP server delays nothing here
            } else if (a instanceof DirectorAction.RunScript s) {
                try {
                    options.scripts().run(s);
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "cannot run " + s.kind() + " script " + s.script().command() + " for "
                            + s.subject() + ": " + e.getMessage() + "; check that it exists and is executable");
                }
            }
        }
    }

    /** Queues one reconcile behind the events already queued: a burst of verdicts costs one kernel round. */
    private void requestReconcile() {
        if (!reconcileQueued) {
            reconcileQueued = true;
            submit(() -> {
                reconcileQueued = false;
                reconcile();
            });
        }
    }

    /**
     * Brings the kernel to the manager's desired table. After a successful round only the services whose desired
     * state changed since are read and planned (one service dump plus their destinations); the first round, a round
     * after a failure and a reload cover every owned service. On failure, retries every second.
     */
    private void reconcile() {
        if (manager == null || closed) {
            return;
        }
        Map<ServiceKey, Reconciler.Desired> desired = manager.desired();
        Map<ServiceKey, Reconciler.Desired> subset;
        Set<ServiceKey> ownedSubset;
        if (lastApplied == null) {
            subset = desired;
            ownedSubset = owned;
        } else {
            subset = new LinkedHashMap<>();
            for (Map.Entry<ServiceKey, Reconciler.Desired> e : desired.entrySet()) {
                if (!e.getValue().equals(lastApplied.get(e.getKey()))) {
                    subset.put(e.getKey(), e.getValue());
                }
            }
            ownedSubset = new LinkedHashSet<>();
            for (ServiceKey k : owned) {
                if (!desired.containsKey(k)) {
                    ownedSubset.add(k);
                }
            }
            if (subset.isEmpty() && ownedSubset.isEmpty()) {
                return;
            }
        }
        Set<ServiceKey> read = new LinkedHashSet<>(subset.keySet());
        read.addAll(ownedSubset);
        boolean failed;
        try {
            IpvsTable current = kernel.readOwned(read);
            Reconciler.Result r = Reconciler.apply(kernel::applyAll, Reconciler.plan(subset, current, ownedSubset));
            Set<ServiceKey> nextOwned = new LinkedHashSet<>(r.ownedAfter());
            for (ServiceKey k : owned) {
                if (desired.containsKey(k)) {
                    nextOwned.add(k); // unchanged, not part of this round
                }
            }
            owned = Set.copyOf(nextOwned);
            lastResult = r;
            failed = report(r);
            lastApplied = failed ? null : desired;
        } catch (NetlinkException e) {
            LOG.log(kernelFailing ? Level.DEBUG : Level.ERROR, "IPVS: cannot update the virtual servers ("
                    + describe(e) + "); retrying every " + RETRY_MILLIS
                    + " ms: check that the ip_vs module is loaded and javalived runs as root");
            failed = true;
            lastApplied = null;
        } catch (RuntimeException e) {
            LOG.log(kernelFailing ? Level.DEBUG : Level.ERROR, "IPVS: cannot update the virtual servers (" + e
                    + "); retrying every " + RETRY_MILLIS + " ms");
            failed = true;
            lastApplied = null;
        }
        if (!failed && kernelFailing) {
            LOG.log(Level.INFO, "IPVS: virtual servers updated again");
        }
        kernelFailing = failed;
        if (failed && retry == null && !closed) {
            retry = thread.schedule(() -> {
                retry = null;
                reconcile();
            }, RETRY_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Logs each failed change; true if any failed. */
    private boolean report(Reconciler.Result r) {
        List<OpResult> failed = r.failed();
        for (OpResult f : failed) {
            LOG.log(Level.ERROR, "IPVS: " + f.op() + " failed: " + describe(f.error()) + whatToDo(f));
        }
        for (ServiceKey k : r.rolledBack()) {
            LOG.log(Level.ERROR, "IPVS: virtual server " + k + " removed again because a real server could not be"
                    + " added; it will be retried");
        }
        return !failed.isEmpty();
    }

    private static String whatToDo(OpResult f) {
        if (f.error() == null) {
            return "";
        }
        String n = f.error().errnoName();
        return switch (n == null ? "" : n) {
            case "ENOENT" -> " (unknown scheduler or persistence engine? check lb_algo / persistence_engine and that"
                    + " its ip_vs_* module is available)";
            case "EEXIST" -> " (already present: another tool manages the same entry; remove it with ipvsadm)";
            case "EPERM" -> " (run javalived as root or with CAP_NET_ADMIN)";
            default -> "; it will be retried";
        };
    }

    private static String describe(NetlinkException e) {
        return e == null ? "?" : e.getMessage();
    }

    // ---- operator overrides

    @Override
    public List<String> drain(java.net.InetSocketAddress realServer, io.javalived.inet.VirtualServerKey virtualServer,
                              java.time.Duration timeout) {
        return control(m -> m.drain(m.resolve(realServer, virtualServer), clock.instant(), timeout));
    }

    @Override
    public List<String> disable(java.net.InetSocketAddress realServer,
                                io.javalived.inet.VirtualServerKey virtualServer) {
        return control(m -> realServer == null ? m.setVirtualServerDisabled(virtualServer, true)
                : m.disable(m.resolve(realServer, virtualServer)));
    }

    @Override
    public List<String> enable(java.net.InetSocketAddress realServer,
                               io.javalived.inet.VirtualServerKey virtualServer) {
        return control(m -> realServer == null ? m.setVirtualServerDisabled(virtualServer, false)
                : m.enable(m.resolve(realServer, virtualServer)));
    }

    @Override
    public List<String> weight(java.net.InetSocketAddress realServer, io.javalived.inet.VirtualServerKey virtualServer,
                               Integer weight) {
        return control(m -> m.weight(m.resolve(realServer, virtualServer), weight));
    }

    @Override
    public boolean hasRealServer(java.net.InetSocketAddress realServer) {
        return call(() -> manager != null && manager.realServers().stream()
                .anyMatch(k -> k.realServer().equals(realServer)));
    }

    @Override
    public boolean hasVirtualServer(io.javalived.inet.VirtualServerKey virtualServer) {
        return call(() -> manager != null && manager.virtualServer(virtualServer).isPresent());
    }

    /** For tests: the clock drains are timed with. */
    void setClock(java.time.Clock c) {
        call(() -> {
            clock = c;
            return null;
        });
    }

    /**
     * Runs an operator request on the director thread: its lines and scripts, then (if it changed anything) the
     * state file and the kernel, before answering.
     *
     * @throws IllegalArgumentException when it names no configured server (the message says so)
     */
    private List<String> control(java.util.function.Function<VirtualServerManager,
            VirtualServerManager.ControlOutcome> request) {
        if (closed) {
            throw new IllegalStateException("the director is stopping");
        }
        try {
            return call(() -> {
                if (manager == null) {
                    throw new IllegalStateException("the director is not running");
                }
                VirtualServerManager.ControlOutcome o = request.apply(manager);
                perform(o.actions());
                List<String> answers = new java.util.ArrayList<>(o.answers());
                if (o.changed()) {
                    String saved = saveOverrides(manager);
                    if (saved != null) {
                        answers.add("warning: " + saved);
                    }
                    reconcile();
                    if (kernelFailing) {
                        answers.add("warning: the kernel table could not be updated yet (see the log); retrying");
                    }
                    drainConnections.keySet().retainAll(manager.draining().keySet());
                    scheduleDrainPoll();
                }
                return answers;
            });
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof IllegalArgumentException a) {
                throw a;
            }
            if (e.getCause() instanceof IllegalStateException s) {
                throw s;
            }
            throw e;
        }
    }

    private OverrideStore.Overrides loadOverrides() {
        java.nio.file.Path f = options.stateFile();
        if (f == null) {
            return OverrideStore.Overrides.EMPTY;
        }
        try {
            return OverrideStore.read(f);
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.log(Level.ERROR, "Operator overrides: cannot read the state file " + f + " (" + e.getMessage()
                    + "): starting without overrides; fix or remove the file, or give another with --state-file");
            return OverrideStore.Overrides.EMPTY;
        }
    }

    /** Writes the state file; returns what went wrong, or null. */
    private String saveOverrides(VirtualServerManager m) {
        java.nio.file.Path f = options.stateFile();
        if (f == null) {
            return null;
        }
        try {
            OverrideStore.write(f, m.overrides());
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            String msg = "cannot write the state file " + f + " (" + e.getMessage() + "): the override holds until"
                    + " the daemon stops; give a writable path with --state-file";
            LOG.log(Level.ERROR, "Operator overrides: " + msg);
            return msg;
        }
    }

    private void scheduleDrainPoll() {
        if (drainPoll != null || closed || manager == null || manager.draining().isEmpty()) {
            return;
        }
        drainPoll = thread.schedule(() -> {
            drainPoll = null;
            try {
                pollDrains();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "Operator overrides: counting the draining real servers' connections failed: "
                        + e);
            }
            scheduleDrainPoll();
        }, DRAIN_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Counts the connections (active + inactive) each draining real server still has in the kernel, over every
     * service of its virtual server; one at 0, or past its timeout, is taken out.
     */
    private void pollDrains() {
        if (manager == null || closed) {
            return;
        }
        Map<RealServerKey, OperatorOverride> draining = manager.draining();
        if (draining.isEmpty()) {
            return;
        }
        Set<ServiceKey> keys = new LinkedHashSet<>();
        for (RealServerKey k : draining.keySet()) {
            keys.addAll(manager.serviceKeys(k));
        }
        IpvsTable t;
        try {
            t = kernel.readOwned(keys);
        } catch (NetlinkException e) {
            LOG.log(Level.WARNING, "Operator overrides: cannot read the connection counts of the draining real "
                    + "servers (" + describe(e) + "); retrying");
            return;
        }
        java.time.Instant now = clock.instant();
        boolean changed = false;
        for (Map.Entry<RealServerKey, OperatorOverride> e : draining.entrySet()) {
            RealServerKey k = e.getKey();
            long n = 0;
            for (ServiceKey sk : manager.serviceKeys(k)) {
                IpvsTable.Row row = t.get(sk);
                if (row == null) {
                    continue;
                }
                for (io.javalived.ipvs.DestEntry d : row.dests()) {
                    if (d.server().port() == k.port() && d.server().address().equals(k.address())) {
                        n += d.activeConns() + d.inactConns();
                    }
                }
            }
            java.time.Instant deadline = e.getValue().drainDeadline();
            boolean timedOut = deadline != null && !now.isBefore(deadline);
            if (n == 0 || timedOut) {
                perform(manager.drained(k, n, n > 0));
                drainConnections.remove(k);
                changed = true;
            } else {
                drainConnections.put(k, n);
            }
        }
        if (changed) {
            saveOverrides(manager);
            reconcile();
        }
    }

    // ---- thread plumbing

    private void submit(Runnable r) {
        if (closed || thread.isShutdown()) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "director: unexpected error handling an event: " + e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException ignored) {
            // closing
        }
    }

    private <T> T call(java.util.concurrent.Callable<T> c) {
        if (thread.isShutdown()) {
            try {
                return c.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return thread.submit(c).get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("director thread did not answer within 60 s", e);
        }
    }
}
