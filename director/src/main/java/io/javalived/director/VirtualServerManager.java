package io.javalived.director;

import io.javalived.vrrp.notify.FifoLines;
import io.javalived.inet.VirtualServerKey;
import io.javalived.inet.InetText;
import io.javalived.director.CheckerFactory;
import io.javalived.inet.RealServerKey;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.LvsMethod;
import io.javalived.config.model.SorryServer;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import io.javalived.ipvs.Forwarding;
import io.javalived.ipvs.Ipvs;
import io.javalived.inet.Protocol;
import io.javalived.ipvs.IpvsTable;
import io.javalived.ipvs.Reconciler;
import io.javalived.ipvs.ServiceKey;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * keepalived's virtual server manager (its ipwrapper): pure state, no I/O, no threads. It is fed real-server verdicts
 * ({@link #onTransition}, {@link #onWeight}) and VRRP ownership ({@link #setHaSuspended}), and answers with
 * {@link DirectorAction}s (log lines in keepalived 2.2.7's words, scripts to run) and the desired IPVS table
 * ({@link #desired()}) for {@link Reconciler}.
 *
 * <h2>Rules (as keepalived 2.2.7 behaves, observed in the IPVS VM)</h2>
 * <ul>
 *   <li>A real server is <em>alive</em> per its checkers; a real server without checkers is always alive. Its weight is
 *       the configured one, replaced by a dynamic weight (misc_dynamic, FILE_CHECK) when one is reported.</li>
 *   <li>Quorum: the sum of the weights of the alive real servers. With quorum up, it is lost when the sum is 0 or
 *       below {@code quorum - hysteresis}; with quorum down it is gained when the sum reaches
 *       {@code quorum + hysteresis}. The state starts down and is evaluated at {@link #start()}, so a healthy start
 *       logs {@code Gained quorum 1+0=1 <= 2 for VS [10.0.0.100]:tcp:80} and runs quorum_up, an unhealthy one
 *       {@code Starting with quorum down 1-0=1 > 0 for VS ...} and runs quorum_down.</li>
 *   <li>Pool: an alive real server is in the IPVS table with its weight, except while quorum is down <em>and</em> a
 *       sorry_server is configured: then the sorry server (weight 1) replaces the whole pool. A real server that is
 *       not in the pool is absent, or present at weight 0 under inhibit_on_failure; likewise the sorry server under
 *       sorry_server_inhibit.</li>
 *   <li>alpha: the real server starts down (the initial state comes from the caller, normally
 *       {@code RealServerHandle.isUp()}, which is "up unless alpha"); omega: {@link #shutdown()} runs notify_down of
 *       every alive real server and quorum_down if quorum was up.</li>
 *   <li>ha_suspend: while suspended, a virtual server's table entries are frozen and verdicts are only remembered;
 *       on resume the remembered changes are applied (with their lines and scripts).</li>
 * </ul>
 *
 * <h2>Restart without a blip</h2>
 * The initial desired table is built from the initial states (up unless alpha), so a restart against a kernel that
 * still holds the previous run's table plans no change for healthy servers: the {@link Reconciler} keeps every
 * existing destination whose settings match. javalived adds ({@link #startDownWhereAbsent}, before {@link #start()}):
 * a real server with checkers that the kernel's table of its service leaves out (absent, or at weight 0 under
 * inhibit_on_failure while its weight is above 0) was down before the restart, and starts down until its checkers
 * pass, so a restart sends no traffic to a server that was out.
 *
 * <p>Not thread-safe: the {@link Director} calls it from its single thread.
 */
public final class VirtualServerManager {
    static final int SORRY_WEIGHT = 1;

    /** Per real server. */
    static final class Rs {
        final io.javalived.config.model.RealServer cfg;
        final Vs vs;
        final RealServerKey id;
        final String name;
        boolean alive;
        int weight;
        Boolean pendingAlive;
        Integer pendingWeight;

        /** Reload: this real server is new in an adopted virtual server. */
        boolean newOnReload;
        /** The operator's override (javalived drain|disable|enable|weight). */
        OperatorOverride ovr = OperatorOverride.NONE;

        Rs(io.javalived.config.model.RealServer cfg, Vs vs, RealServerKey id, String name, boolean alive) {
            this.cfg = cfg;
            this.vs = vs;
            this.id = id;
            this.name = name;
            this.alive = alive;
            this.weight = cfg.weight();
        }
    }

    /** Per virtual server. */
    static final class Vs {
        final VirtualServer cfg;
        final VirtualServerKey key;
        /** keepalived's FMT_VS text of {@link #key}, for log lines. */
        final String name;
        final List<ServiceKey> keys;
        final List<Rs> rs = new ArrayList<>();
        final int quorum;
        final int hysteresis;
        final List<String> warnings = new ArrayList<>();
        boolean quorumUp;
        boolean suspended;
        boolean adopted;
        /** javalived disable VS: its services are out of the table until javalived enable VS. */
        boolean disabled;
        /** Reload: real servers the previous configuration had in the pool and this one no longer has. */
        final List<String> removedOnReload = new ArrayList<>();

        Vs(VirtualServer cfg, List<ServiceKey> keys, int quorum, int hysteresis) {
            this.cfg = cfg;
            this.key = cfg.key();
            this.name = key.toString();
            this.keys = keys;
            this.quorum = quorum;
            this.hysteresis = hysteresis;
        }

        long aliveWeight() {
            long s = 0;
            for (Rs r : rs) {
                if (r.alive) {
                    s += Math.max(0, effectiveWeight(r));
                }
            }
            return s;
        }

        boolean sorryActive() {
            return cfg.sorryServer().isPresent() && !quorumUp;
        }

        boolean inPool(Rs r) {
            return r.alive && !r.ovr.out() && (quorumUp || cfg.sorryServer().isEmpty());
        }

        /** Whether its destination is in the desired table (maybe at weight 0). */
        boolean inTable(Rs r) {
            return !disabled && !r.ovr.out() && (inPool(r) || r.cfg.inhibitOnFailure());
        }
    }

    private final List<Vs> servers = new ArrayList<>();
    private final Map<RealServerKey, List<Rs>> byId = new LinkedHashMap<>();
    private boolean started;
    private boolean stopped;

    /**
     * @param virtualServers the configured virtual servers
     * @param groups         virtual_server_group definitions (for {@code virtual_server group NAME})
     * @param initiallyUp    the initial verdict of a real server that has checkers (a real server without checkers is
     *                       always up)
     */
    public VirtualServerManager(List<VirtualServer> virtualServers, Map<String, VirtualServerGroup> groups,
                                Predicate<RealServerKey> initiallyUp) {
        for (VirtualServer v : virtualServers) {
            String name = v.displayName();
            int quorum = Math.max(1, v.quorum());
            long total = 0;
            for (io.javalived.config.model.RealServer r : v.realServers()) {
                total += Math.max(0, r.weight());
            }
            List<String> warnings = new ArrayList<>();
            if (quorum > total && total > 0) {
                warnings.add("Warning - quorum " + quorum + " for " + name + " exceeds total weight of real servers "
                        + total + ", reducing quorum to " + total);
                quorum = (int) total;
            }
            int hyst = Math.max(0, v.hysteresis());
            if (hyst >= quorum) {
                warnings.add("Virtual server " + name + ": hysteresis " + hyst + " >= quorum " + quorum
                        + "; setting hysteresis to " + (quorum - 1));
                hyst = quorum - 1;
            }
            Vs vs = new Vs(v, IpvsMapping.serviceKeys(v, groups), quorum, hyst);
            vs.warnings.addAll(warnings);
            for (io.javalived.config.model.RealServer r : v.realServers()) {
                RealServerKey id = CheckerFactory.realServerKey(v, r);
                boolean up = r.checkers().isEmpty() || initiallyUp.test(id);
                Rs rs = new Rs(r, vs, id, fmtRs(r.address(), r.port(), v), up);
                vs.rs.add(rs);
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(rs);
            }
            servers.add(vs);
        }
    }

    /** The manager of a whole configuration, real servers initially up unless alpha (keepalived's rule). */
    public static VirtualServerManager of(KeepalivedConfig cfg) {
        Map<RealServerKey, Boolean> alpha = new LinkedHashMap<>();
        for (VirtualServer v : cfg.virtualServers()) {
            for (io.javalived.config.model.RealServer r : v.realServers()) {
                boolean a = r.alpha() || r.checkers().stream().anyMatch(c -> c.common().alpha());
                alpha.merge(CheckerFactory.realServerKey(v, r), a, Boolean::logicalOr);
            }
        }
        return new VirtualServerManager(cfg.virtualServers(), cfg.virtualServerGroups(),
                id -> !alpha.getOrDefault(id, false));
    }

    /**
     * Restart (javalived, not keepalived): marks down every real server with checkers, still up, that the kernel's
     * table leaves out of its service although the service is there — absent, or at weight 0 under
     * inhibit_on_failure while its weight is above 0 — and logs why. Services missing from {@code current} are left
     * to the usual rule (up unless alpha). Call before {@link #start()}, with the kernel's table of the services of
     * {@link #desired()}.
     *
     * @return the real servers marked down (bring them up with {@link #onTransition} when their checkers pass)
     */
    public Set<RealServerKey> startDownWhereAbsent(IpvsTable current, List<DirectorAction> out) {
        Set<RealServerKey> down = new java.util.LinkedHashSet<>();
        if (started) {
            return down;
        }
        for (Vs vs : servers) {
            for (ServiceKey key : vs.keys) {
                IpvsTable.Row svc = current.get(key);
                if (svc == null) {
                    continue;
                }
                Map<io.javalived.ipvs.Destination.DestKey, Integer> weights = new LinkedHashMap<>();
                for (io.javalived.ipvs.Destination d : svc.servers()) {
                    weights.put(d.key(), d.weight());
                }
                for (Rs rs : vs.rs) {
                    if (!rs.alive || rs.cfg.checkers().isEmpty() || rs.ovr.out()) {
                        continue; // (taken out by the operator: absent by choice, its override keeps it out)
                    }
                    Integer w = weights.get(IpvsMapping.dest(rs.cfg.address(), rs.cfg.port(), rs.cfg.lvsMethod(), 0, 0, 0).key());
                    boolean out0 = w == null || (w == 0 && rs.cfg.inhibitOnFailure() && rs.weight > 0);
                    if (out0) {
                        rs.alive = false;
                        down.add(rs.id);
                        out.add(info("Service " + rs.name + " of VS " + vs.name + " was "
                                + (w == null ? "not in" : "inhibited in") + " the IPVS table at start - keeping it"
                                + " out until its checkers pass"));
                    }
                }
            }
        }
        return down;
    }

    /** The initial quorum evaluation: its lines and scripts. Call once, before or after the first {@link #desired()}. */
    public List<DirectorAction> start() {
        List<DirectorAction> out = new ArrayList<>();
        if (started) {
            return out;
        }
        started = true;
        for (Vs vs : servers) {
            for (String w : vs.warnings) {
                out.add(new DirectorAction.Log(Level.WARNING, w));
            }
            if (vs.adopted) {
                // kept its state across a reload: only changes are reported, in the words of a checker verdict
                for (String gone : vs.removedOnReload) {
                    out.add(info("Removing service " + gone + " from VS " + vs.name));
                }
                for (Rs r : vs.rs) {
                    if (r.newOnReload && vs.inPool(r)) {
                        out.add(info((r.cfg.inhibitOnFailure() ? "Enabling service " + r.name + " of"
                                : "Adding service " + r.name + " to") + " VS " + vs.name));
                    }
                }
                updateQuorum(vs, out);
                continue;
            }
            long sum = vs.aliveWeight();
            if (sum > 0 && sum >= vs.quorum + vs.hysteresis) {
                gain(vs, out, sum, true);
            } else {
                // starts down (keepalived 2.2.7 prints the threshold it compares with: quorum + hysteresis)
                out.add(info("Starting with quorum down " + vs.quorum + "-" + vs.hysteresis + "="
                        + (vs.quorum + vs.hysteresis) + " > " + sum + " for VS " + vs.name));
                vs.cfg.quorumDown().ifPresent(s -> out.add(new DirectorAction.RunScript("quorum_down", s, vs.name)));
                out.add(new DirectorAction.FifoLine(FifoLines.virtualServer(vs.name, false)));
                quorumMail(vs, "Starting with quorum down", vs.quorum + vs.hysteresis, sum, out);
                vs.cfg.sorryServer().ifPresent(s -> {
                    out.add(info((s.inhibit() ? "Enabling" : "Adding") + " sorry server " + fmtSorry(s, vs.cfg)
                            + " to VS " + vs.name));
                    out.add(info("Removing alive servers from the pool for VS " + vs.name));
                });
            }
        }
        return out;
    }

    /**
     * Reload: carries over, from the manager of the previous configuration, the state of every virtual server still
     * configured under the same identity ({@link VirtualServerKey}): its quorum state, ha_suspend state
     * and the dynamic weights of its real servers whose configured weight did not change. Real-server verdicts come
     * from {@code initiallyUp} as usual (the checker handles of a reload share the running probes, so they are
     * current). Call before {@link #start()}, which then reports only changes for these virtual servers.
     */
    public void adopt(VirtualServerManager previous) {
        Map<VirtualServerKey, Vs> old = new LinkedHashMap<>();
        for (Vs v : previous.servers) {
            old.putIfAbsent(v.key, v);
        }
        for (Vs vs : servers) {
            Vs o = old.get(vs.key);
            if (o == null) {
                continue;
            }
            vs.adopted = true;
            vs.quorumUp = o.quorumUp;
            vs.suspended = o.suspended;
            for (Rs or : o.rs) {
                if (vs.rs.stream().noneMatch(r -> r.id.equals(or.id)) && o.inPool(or)) {
                    vs.removedOnReload.add(or.name);
                }
            }
            for (Rs r : vs.rs) {
                r.newOnReload = o.rs.stream().noneMatch(or -> or.id.equals(r.id));
                for (Rs or : o.rs) {
                    if (or.id.equals(r.id)) {
                        if (or.weight != or.cfg.weight() && or.cfg.weight() == r.cfg.weight()) {
                            r.weight = or.weight;
                        }
                        if (vs.suspended) {
                            // frozen: keep the table as it was; the current verdict waits for the resume
                            if (or.alive != r.alive) {
                                r.pendingAlive = r.alive;
                                r.alive = or.alive;
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A real server's verdict changed, not from a checker's result (javalived's start-down rule): no mail. Unknown ids
     * are ignored.
     */
    public List<DirectorAction> onTransition(RealServerKey id, boolean up) {
        return forEachOccurrence(id, rs -> rs.pendingAlive = up, (vs, rs, out) -> setAlive(vs, rs, up, out));
    }

    /**
     * A real server's verdict changed by its checker {@code checker} ({@code TCP_CHECK [10.0.0.2]:tcp:80}, as
     * {@code Transition.checker()}); {@code timedOut}: a MISC_CHECK script ran out of time. With the real server's
     * smtp_alert in force, the checker's mail follows the log line (keepalived: sent by the checker, after the
     * real server's state is updated). Unknown ids are ignored.
     */
    public List<DirectorAction> onTransition(RealServerKey id, boolean up, String checker, boolean timedOut) {
        return forEachOccurrence(id, rs -> rs.pendingAlive = up, (vs, rs, out) -> {
            boolean was = rs.alive;
            setAlive(vs, rs, up, out);
            if (was != up && rs.cfg.smtpAlert()) {
                String body = SmtpAlerts.checkerBody(checker, up, timedOut);
                if (body != null) {
                    out.add(new DirectorAction.SmtpAlert(SmtpAlerts.realServerSubject(rs.name, vs.name, up), body));
                }
            }
        });
    }

    /**
     * One checker of a real server changed without changing the real server's state (keepalived without
     * no_checker_emails): its mail, when the real server's smtp_alert is in force, with the real server's unchanged
     * state in the subject. Not while suspended (ha_suspend) or after shutdown.
     */
    public List<DirectorAction> onCheckerChange(RealServerKey id, boolean up, String checker, boolean timedOut) {
        return forEachOccurrence(id, rs -> { }, (vs, rs, out) -> {
            if (rs.cfg.smtpAlert()) {
                String body = SmtpAlerts.checkerBody(checker, up, timedOut);
                if (body != null) {
                    out.add(new DirectorAction.SmtpAlert(SmtpAlerts.realServerSubject(rs.name, vs.name, rs.alive),
                            body));
                }
            }
        });
    }

    /** A dynamic weight (misc_dynamic, FILE_CHECK weight) was reported for a real server. */
    public List<DirectorAction> onWeight(RealServerKey id, int weight) {
        return forEachOccurrence(id, rs -> rs.pendingWeight = weight,
                (vs, rs, out) -> setWeight(vs, rs, weight, out));
    }

    private interface RsChange {
        void apply(Vs vs, Rs rs, List<DirectorAction> out);
    }

    /**
     * A checker report for every occurrence of a real server: remembered while its virtual server is suspended
     * (ha_suspend), applied otherwise; nothing after {@link #shutdown()}.
     */
    private List<DirectorAction> forEachOccurrence(RealServerKey id, java.util.function.Consumer<Rs> whileSuspended,
                                                   RsChange change) {
        List<DirectorAction> out = new ArrayList<>();
        if (stopped) {
            return out;
        }
        for (Rs rs : byId.getOrDefault(id, List.of())) {
            Vs vs = owner(rs);
            if (vs.suspended) {
                whileSuspended.accept(rs);
                continue;
            }
            change.apply(vs, rs, out);
        }
        return out;
    }

    /**
     * ha_suspend: the daemon calls this with true while this node does not own the virtual addresses (VRRP not
     * MASTER) and false when it does. Only virtual servers with ha_suspend are affected.
     */
    public List<DirectorAction> setHaSuspended(boolean suspend) {
        List<DirectorAction> out = new ArrayList<>();
        if (stopped) {
            return out;
        }
        for (Vs vs : servers) {
            if (!vs.cfg.haSuspend() || vs.suspended == suspend) {
                continue;
            }
            vs.suspended = suspend;
            for (Rs rs : vs.rs) {
                if (!rs.cfg.checkers().isEmpty()) {
                    out.add(info((suspend ? "Suspending" : "Activating") + " healthchecker for service " + rs.name
                            + " for VS " + vs.name));
                }
            }
            if (!suspend) {
                for (Rs rs : vs.rs) {
                    if (rs.pendingWeight != null) {
                        int w = rs.pendingWeight;
                        rs.pendingWeight = null;
                        setWeight(vs, rs, w, out);
                    }
                    if (rs.pendingAlive != null) {
                        boolean a = rs.pendingAlive;
                        rs.pendingAlive = null;
                        setAlive(vs, rs, a, out);
                    }
                }
            }
        }
        return out;
    }

    /**
     * Shutdown: a "Shutting down service ..." line per real server (as keepalived 2.2.7: every one, "(inhibited)" for
     * a down one under inhibit_on_failure; none for the sorry server), then, for virtual servers with omega,
     * notify_down of every alive real server and quorum_down if quorum was up. Afterwards verdicts are ignored.
     */
    public List<DirectorAction> shutdown() {
        List<DirectorAction> out = new ArrayList<>();
        if (stopped) {
            return out;
        }
        stopped = true;
        for (Vs vs : servers) {
            for (Rs rs : vs.rs) {
                boolean inhibited = rs.cfg.inhibitOnFailure() && !rs.alive;
                out.add(info("Shutting down " + (inhibited ? "(inhibited) " : "") + "service " + rs.name
                        + " from VS " + vs.name));
            }
            if (vs.cfg.omega()) {
                for (Rs rs : vs.rs) {
                    if (rs.alive) {
                        rs.cfg.notifyDown().ifPresent(s -> out.add(
                                new DirectorAction.RunScript("notify_down", s, rs.name + " VS " + vs.name)));
                        out.add(new DirectorAction.FifoLine(FifoLines.realServer(rs.name, vs.name, false)));
                        if (rs.cfg.smtpAlert()) {
                            out.add(new DirectorAction.SmtpAlert(SmtpAlerts.realServerSubject(rs.name, vs.name, false),
                                    SmtpAlerts.SHUTTING_DOWN));
                        }
                    }
                }
                if (vs.quorumUp) {
                    vs.cfg.quorumDown().ifPresent(s -> out.add(new DirectorAction.RunScript("quorum_down", s, vs.name)));
                    out.add(new DirectorAction.FifoLine(FifoLines.virtualServer(vs.name, false)));
                    if (vs.cfg.smtpAlert()) {
                        out.add(new DirectorAction.SmtpAlert(SmtpAlerts.virtualServerSubject(vs.name, false),
                                SmtpAlerts.SHUTTING_DOWN));
                    }
                }
            }
        }
        return out;
    }

    /** The desired IPVS table: every virtual server's services (a group expands to several) and destinations. */
    public Map<ServiceKey, Reconciler.Desired> desired() {
        List<Reconciler.Desired> list = new ArrayList<>();
        for (Vs vs : servers) {
            if (vs.disabled) {
                continue; // javalived disable VS: out of the table
            }
            for (ServiceKey key : vs.keys) {
                io.javalived.ipvs.Service svc = IpvsMapping.service(vs.cfg, key);
                Map<io.javalived.ipvs.Destination.DestKey, io.javalived.ipvs.Destination> dests = new LinkedHashMap<>();
                for (Rs rs : vs.rs) {
                    if (rs.ovr.out()) {
                        continue; // drained or disabled by the operator
                    }
                    if (vs.inPool(rs)) {
                        IpvsMapping.put(dests, IpvsMapping.dest(rs.cfg.address(), rs.cfg.port(), rs.cfg.lvsMethod(),
                                rs.cfg.tunnel(), effectiveWeight(rs),
                                rs.cfg.uthreshold(), rs.cfg.lthreshold()));
                    } else if (rs.cfg.inhibitOnFailure()) {
                        IpvsMapping.put(dests, IpvsMapping.dest(rs.cfg.address(), rs.cfg.port(), rs.cfg.lvsMethod(),
                                rs.cfg.tunnel(), 0, rs.cfg.uthreshold(), rs.cfg.lthreshold()));
                    }
                }
                Optional<SorryServer> sorry = vs.cfg.sorryServer();
                if (sorry.isPresent() && (vs.sorryActive() || sorry.get().inhibit())) {
                    SorryServer s = sorry.get();
                    IpvsMapping.put(dests, IpvsMapping.dest(s.address(), IpvsMapping.sorryPort(s, vs.cfg), s.lvsMethod(),
                            s.tunnel(), vs.sorryActive() ? SORRY_WEIGHT : 0, 0, 0));
                }
                list.add(new Reconciler.Desired(svc, new ArrayList<>(dests.values())));
            }
        }
        Map<ServiceKey, Reconciler.Desired> m = new LinkedHashMap<>();
        for (Reconciler.Desired d : list) {
            m.putIfAbsent(d.key(), d); // the first virtual server naming a key wins (keepalived refuses duplicates)
        }
        return m;
    }

    /** Whether quorum is up for this virtual server. */
    public boolean quorumUp(VirtualServerKey virtualServer) {
        return servers.stream().filter(v -> v.key.equals(virtualServer)).anyMatch(v -> v.quorumUp);
    }

    /** The current verdict of a real server (its first occurrence), or empty if unknown. */
    public Optional<Boolean> alive(RealServerKey id) {
        List<Rs> l = byId.get(id);
        return l == null || l.isEmpty() ? Optional.empty() : Optional.of(l.get(0).alive);
    }

    /**
     * The virtual servers and their real servers now, in configuration order.
     *
     * @param checks each real server's checker states (empty list when it has none)
     * @param since  when a real server's health last changed, or null when unknown
     */
    public List<io.javalived.director.status.VirtualServerStatus> status(
            java.util.function.Function<RealServerKey, List<io.javalived.checkers.CheckStatus>> checks,
            java.util.function.Function<RealServerKey, java.time.Instant> since) {
        return status(checks, since, id -> null);
    }

    /**
     * As {@link #status(java.util.function.Function, java.util.function.Function)}, with the connections a draining
     * real server still has (active + inactive, at the last check; null when unknown).
     */
    public List<io.javalived.director.status.VirtualServerStatus> status(
            java.util.function.Function<RealServerKey, List<io.javalived.checkers.CheckStatus>> checks,
            java.util.function.Function<RealServerKey, java.time.Instant> since,
            java.util.function.Function<RealServerKey, Long> connections) {
        List<io.javalived.director.status.VirtualServerStatus> out = new ArrayList<>();
        for (Vs vs : servers) {
            List<io.javalived.director.status.RealServerStatus> rss = new ArrayList<>();
            int up = 0;
            for (Rs r : vs.rs) {
                if (r.alive) {
                    up++;
                }
                java.net.InetSocketAddress a = r.id.realServer();
                OperatorOverride o = r.ovr;
                rss.add(new io.javalived.director.status.RealServerStatus(InetText.hostPort(a.getAddress(), a.getPort()),
                        r.alive, operatorWeight(r), !vs.disabled && vs.inPool(r) && effectiveWeight(r) > 0,
                        since.apply(r.id), List.copyOf(checks.apply(r.id)), o.state().word(), o.weight(),
                        o.drainingSince(), o.drainDeadline(),
                        o.state() == OperatorOverride.State.DRAINING ? connections.apply(r.id) : null));
            }
            String sorry = vs.cfg.sorryServer().map(s -> InetText.hostPort(s.address(), s.port())).orElse(null);
            out.add(new io.javalived.director.status.VirtualServerStatus(vs.name, vs.cfg.lbAlgo(),
                    String.valueOf(vs.cfg.lbKind()), vs.quorumUp, vs.quorum, vs.hysteresis, vs.aliveWeight(), up,
                    vs.rs.size(), sorry, vs.sorryActive(), vs.suspended, List.copyOf(rss), vs.disabled));
        }
        return out;
    }

    /** The real servers the checkers must report on, in configuration order. */
    public List<RealServerKey> realServers() {
        return List.copyOf(byId.keySet());
    }

    // ---- operator overrides (javalived drain|disable|enable|weight)

    /** What an operator request did: log lines and scripts, one answer line per real or virtual server touched. */
    public record ControlOutcome(List<DirectorAction> actions, List<String> answers, boolean changed) {}

    /** The weight a real server has when it is in service: the operator's, else the configured or dynamic one. */
    static int operatorWeight(Rs r) {
        return r.ovr.weight() != null ? r.ovr.weight() : r.weight;
    }

    /** The weight it has in the table and for quorum: 0 while an operator drains it or has it out. */
    static int effectiveWeight(Rs r) {
        return r.ovr.state() == OperatorOverride.State.NONE ? operatorWeight(r) : 0;
    }

    /**
     * Whether two virtual server keys name the same virtual server, as an operator or the state file writes them:
     * equal, or the same fwmark / group whatever the family (the text does not carry it).
     */
    public static boolean sameVirtualServer(VirtualServerKey typed, VirtualServerKey configured) {
        if (typed.equals(configured)) {
            return true;
        }
        if (typed instanceof VirtualServerKey.Fwmark a && configured instanceof VirtualServerKey.Fwmark b) {
            return a.mark() == b.mark();
        }
        if (typed instanceof VirtualServerKey.Group a && configured instanceof VirtualServerKey.Group b) {
            return a.name().equals(b.name()) && a.port() == b.port();
        }
        return false;
    }

    /** The configured virtual server an operator names, if any. */
    public Optional<VirtualServerKey> virtualServer(VirtualServerKey named) {
        return findVs(named).map(v -> v.key);
    }

    private Optional<Vs> findVs(VirtualServerKey named) {
        return servers.stream().filter(v -> sameVirtualServer(named, v.key)).findFirst();
    }

    /**
     * The real servers an operator names: {@code address:port} under every virtual server holding it, or under
     * {@code virtualServer} only.
     *
     * @throws IllegalArgumentException when there is no such real server (or virtual server), saying where it is
     */
    public List<RealServerKey> resolve(java.net.InetSocketAddress realServer, VirtualServerKey virtualServer) {
        String rsText = InetText.hostPort(realServer.getAddress(), realServer.getPort());
        List<RealServerKey> all = new ArrayList<>();
        for (RealServerKey k : byId.keySet()) {
            if (k.realServer().equals(realServer)) {
                all.add(k);
            }
        }
        if (virtualServer == null) {
            if (all.isEmpty()) {
                throw new IllegalArgumentException("no real server " + rsText + " in the running configuration"
                        + " - 'javalived status' lists the real servers");
            }
            return all;
        }
        Vs vs = findVs(virtualServer).orElseThrow(() -> new IllegalArgumentException("no virtual server "
                + virtualServer + " in the running configuration - 'javalived status' lists the virtual servers"));
        List<RealServerKey> in = all.stream().filter(k -> k.virtualServer().equals(vs.key)).toList();
        if (in.isEmpty()) {
            throw new IllegalArgumentException("virtual server " + vs.name + " has no real server " + rsText
                    + (all.isEmpty() ? " (no virtual server has it)"
                    : " (it is in " + all.stream().map(k -> k.virtualServer().toString())
                    .collect(java.util.stream.Collectors.joining(", ")) + ")"));
        }
        return in;
    }

    /** Starts draining: weight 0 in IPVS, out when its connections end ({@link #drained}) or at the timeout. */
    public ControlOutcome drain(List<RealServerKey> ids, java.time.Instant now, java.time.Duration timeout) {
        return eachRs(ids, (vs, rs, out, answers) -> {
            OperatorOverride o = rs.ovr;
            switch (o.state()) {
                case DRAINING -> {
                    answers.add(rs.name + " VS " + vs.name + ": already draining since " + o.drainingSince());
                    return false;
                }
                case DRAINED, DISABLED -> {
                    answers.add(rs.name + " VS " + vs.name + ": already out (" + o.state().word() + ")");
                    return false;
                }
                default -> {
                }
            }
            rs.ovr = o.withState(OperatorOverride.State.DRAINING, now, timeout);
            String limit = timeout == null || timeout.isZero() ? "no timeout"
                    : "timeout " + OperatorOverride.seconds(timeout);
            out.add(info("Draining service " + rs.name + " of VS " + vs.name + " by operator request (weight 0, "
                    + limit + ")"));
            answers.add(rs.name + " VS " + vs.name + ": draining (weight 0; out when its connections end, "
                    + limit + ")");
            updateQuorum(vs, out);
            return true;
        });
    }

    /** Takes real servers out of the table at once. */
    public ControlOutcome disable(List<RealServerKey> ids) {
        return eachRs(ids, (vs, rs, out, answers) -> {
            if (rs.ovr.state() == OperatorOverride.State.DISABLED) {
                answers.add(rs.name + " VS " + vs.name + ": already disabled");
                return false;
            }
            boolean was = vs.inTable(rs);
            rs.ovr = rs.ovr.withState(OperatorOverride.State.DISABLED, null, null);
            out.add(info(was ? "Removing service " + rs.name + " from VS " + vs.name + " (disabled by operator)"
                    : "Service " + rs.name + " of VS " + vs.name + " disabled by operator (it was not in the table)"));
            answers.add(rs.name + " VS " + vs.name + ": disabled (out of the table)");
            updateQuorum(vs, out);
            return true;
        });
    }

    /** Ends a drain or a disable: the real server is back in as soon as its checkers say it is up. */
    public ControlOutcome enable(List<RealServerKey> ids) {
        return eachRs(ids, (vs, rs, out, answers) -> {
            OperatorOverride.State s = rs.ovr.state();
            if (s == OperatorOverride.State.NONE) {
                answers.add(rs.name + " VS " + vs.name + ": already enabled (not drained or disabled)");
                return false;
            }
            rs.ovr = rs.ovr.withState(OperatorOverride.State.NONE, null, null);
            if (!vs.inTable(rs)) {
                out.add(info("Service " + rs.name + " of VS " + vs.name + " enabled by operator (was " + s.word()
                        + "): out until its checkers report it up"));
                answers.add(rs.name + " VS " + vs.name + ": enabled (was " + s.word() + "); "
                        + (rs.alive ? "in once quorum allows" : "its checkers report it down: in when they say up"));
            } else {
                out.add(info((s == OperatorOverride.State.DRAINING ? "Restoring weight of" : "Adding")
                        + " service " + rs.name + (s == OperatorOverride.State.DRAINING ? " of" : " to") + " VS "
                        + vs.name + " (enabled by operator, was " + s.word() + ")"));
                answers.add(rs.name + " VS " + vs.name + ": enabled (was " + s.word() + "); in, weight "
                        + operatorWeight(rs));
            }
            updateQuorum(vs, out);
            return true;
        });
    }

    /** Overrides the weight ({@code null}: back to the configured or dynamic one). */
    public ControlOutcome weight(List<RealServerKey> ids, Integer weight) {
        return eachRs(ids, (vs, rs, out, answers) -> {
            if (java.util.Objects.equals(rs.ovr.weight(), weight)) {
                answers.add(rs.name + " VS " + vs.name + ": " + (weight == null ? "no weight override"
                        : "weight already " + weight));
                return false;
            }
            int before = operatorWeight(rs);
            rs.ovr = rs.ovr.withWeight(weight);
            int after = operatorWeight(rs);
            out.add(info("Changing weight from " + before + " to " + after + " for " + (rs.alive ? "" : "in")
                    + "active service " + rs.name + " of VS " + vs.name + (weight == null
                    ? " (operator override removed)" : " (operator)")));
            answers.add(rs.name + " VS " + vs.name + ": weight " + after + (weight == null ? " (configured)" : "")
                    + (rs.ovr.state() == OperatorOverride.State.NONE ? ""
                    : " once enabled (now " + rs.ovr.state().word() + ")"));
            updateQuorum(vs, out);
            return true;
        });
    }

    /** javalived disable|enable VS: the virtual server's services out of the table, or back. */
    public ControlOutcome setVirtualServerDisabled(VirtualServerKey named, boolean disable) {
        Vs vs = findVs(named).orElseThrow(() -> new IllegalArgumentException("no virtual server " + named
                + " in the running configuration - 'javalived status' lists the virtual servers"));
        List<DirectorAction> out = new ArrayList<>();
        if (stopped || vs.disabled == disable) {
            return new ControlOutcome(out, List.of("VS " + vs.name + ": already " + (disable ? "disabled"
                    : "enabled")), false);
        }
        vs.disabled = disable;
        out.add(info((disable ? "Removing" : "Adding") + " virtual server " + vs.name + " ("
                + (disable ? "disabled" : "enabled") + " by operator)"));
        return new ControlOutcome(out, List.of("VS " + vs.name + ": " + (disable ? "disabled (its services are out"
                + " of the table)" : "enabled (its services are back in the table)")), true);
    }

    /** The real servers being drained, with their overrides. */
    public Map<RealServerKey, OperatorOverride> draining() {
        Map<RealServerKey, OperatorOverride> m = new LinkedHashMap<>();
        for (Vs vs : servers) {
            for (Rs r : vs.rs) {
                if (r.ovr.state() == OperatorOverride.State.DRAINING) {
                    m.putIfAbsent(r.id, r.ovr);
                }
            }
        }
        return m;
    }

    /** The IPVS services a real server is a destination of (its virtual server's; several for a group). */
    public List<ServiceKey> serviceKeys(RealServerKey id) {
        List<ServiceKey> out = new ArrayList<>();
        for (Rs r : byId.getOrDefault(id, List.of())) {
            out.addAll(r.vs.keys);
        }
        return out;
    }

    /**
     * A drain ended: its connections reached 0 ({@code left == 0}) or the timeout passed. The real server is out
     * of the table until {@link #enable}.
     */
    public List<DirectorAction> drained(RealServerKey id, long left, boolean timedOut) {
        List<DirectorAction> out = new ArrayList<>();
        for (Rs rs : byId.getOrDefault(id, List.of())) {
            if (rs.ovr.state() != OperatorOverride.State.DRAINING) {
                continue;
            }
            Vs vs = rs.vs;
            boolean was = vs.inTable(rs);
            String why = timedOut ? "drain timeout " + OperatorOverride.seconds(rs.ovr.drainTimeout()) + " passed, "
                    + left + " connection" + (left == 1 ? "" : "s") + " left" : "drained: no connections left";
            rs.ovr = rs.ovr.withState(OperatorOverride.State.DRAINED, null, null);
            out.add(info(was ? "Removing service " + rs.name + " from VS " + vs.name + " (" + why + ")"
                    : "Service " + rs.name + " of VS " + vs.name + " drained (" + why + ")"));
            updateQuorum(vs, out);
        }
        return out;
    }

    /** Every override now, for the state file. */
    public OverrideStore.Overrides overrides() {
        Map<RealServerKey, OperatorOverride> rs = new LinkedHashMap<>();
        java.util.Set<VirtualServerKey> vs = new java.util.LinkedHashSet<>();
        for (Vs v : servers) {
            if (v.disabled) {
                vs.add(v.key);
            }
            for (Rs r : v.rs) {
                if (!r.ovr.isEmpty()) {
                    rs.putIfAbsent(r.id, r.ovr);
                }
            }
        }
        return new OverrideStore.Overrides(rs, vs);
    }

    /**
     * Applies saved overrides (the state file at start, the previous manager's on reload): call before
     * {@link #start()}, so the first table already has them. An override naming a server that is no longer configured
     * is dropped with a log line.
     *
     * @param quiet on reload: no line for the overrides carried over, only for the dropped ones
     */
    public List<DirectorAction> restore(OverrideStore.Overrides saved, boolean quiet) {
        List<DirectorAction> out = new ArrayList<>();
        for (Map.Entry<RealServerKey, OperatorOverride> e : saved.realServers().entrySet()) {
            RealServerKey k = e.getKey();
            boolean found = false;
            for (Vs vs : servers) {
                if (!sameVirtualServer(k.virtualServer(), vs.key)) {
                    continue;
                }
                for (Rs r : vs.rs) {
                    if (r.id.realServer().equals(k.realServer())) {
                        found = true;
                        r.ovr = e.getValue();
                        if (!quiet) {
                            out.add(info("Restoring operator override of service " + r.name + " of VS " + vs.name
                                    + ": " + e.getValue().describe()));
                        }
                    }
                }
            }
            if (!found) {
                out.add(new DirectorAction.Log(Level.WARNING, "Dropping operator override ("
                        + e.getValue().describe() + ") of real server " + k + ": it is no longer in the"
                        + " configuration"));
            }
        }
        for (VirtualServerKey k : saved.disabled()) {
            Optional<Vs> vs = findVs(k);
            if (vs.isPresent()) {
                vs.get().disabled = true;
                if (!quiet) {
                    out.add(info("Restoring operator override of virtual server " + vs.get().name + ": disabled"));
                }
            } else {
                out.add(new DirectorAction.Log(Level.WARNING, "Dropping operator override (disabled) of virtual"
                        + " server " + k + ": it is no longer in the configuration"));
            }
        }
        return out;
    }

    private interface RsControl {
        boolean apply(Vs vs, Rs rs, List<DirectorAction> out, List<String> answers);
    }

    private ControlOutcome eachRs(List<RealServerKey> ids, RsControl c) {
        List<DirectorAction> out = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        if (stopped) {
            return new ControlOutcome(out, List.of("stopping: nothing changed"), false);
        }
        boolean changed = false;
        for (RealServerKey id : ids) {
            for (Rs rs : byId.getOrDefault(id, List.of())) {
                changed |= c.apply(rs.vs, rs, out, answers);
            }
        }
        return new ControlOutcome(out, answers, changed);
    }

    // ---- rules

    private void setAlive(Vs vs, Rs rs, boolean up, List<DirectorAction> out) {
        if (rs.alive == up) {
            return;
        }
        rs.alive = up;
        boolean inhibit = rs.cfg.inhibitOnFailure();
        if (up) {
            out.add(info((inhibit ? "Enabling" : "Adding") + " service " + rs.name + (inhibit ? " of" : " to")
                    + " VS " + vs.name));
            rs.cfg.notifyUp().ifPresent(s -> out.add(
                    new DirectorAction.RunScript("notify_up", s, rs.name + " VS " + vs.name)));
            out.add(new DirectorAction.FifoLine(FifoLines.realServer(rs.name, vs.name, true)));
        } else {
            out.add(info((inhibit ? "Disabling" : "Removing") + " service " + rs.name + (inhibit ? " of" : " from")
                    + " VS " + vs.name));
            rs.cfg.notifyDown().ifPresent(s -> out.add(
                    new DirectorAction.RunScript("notify_down", s, rs.name + " VS " + vs.name)));
            out.add(new DirectorAction.FifoLine(FifoLines.realServer(rs.name, vs.name, false)));
        }
        updateQuorum(vs, out);
    }

    private void setWeight(Vs vs, Rs rs, int weight, List<DirectorAction> out) {
        if (rs.weight == weight) {
            return;
        }
        if (rs.ovr.weight() != null) {
            // the operator's weight stays in force; the dynamic one is remembered for 'weight RS reset'
            out.add(info("Weight " + weight + " reported for service " + rs.name + " of VS " + vs.name
                    + " is kept aside: the operator set weight " + rs.ovr.weight()));
            rs.weight = weight;
            return;
        }
        out.add(info("Changing weight from " + rs.weight + " to " + weight + " for " + (rs.alive ? "" : "in")
                + "active service " + rs.name + " of VS " + vs.name));
        rs.weight = weight;
        updateQuorum(vs, out);
    }

    private void updateQuorum(Vs vs, List<DirectorAction> out) {
        long sum = vs.aliveWeight();
        if (!vs.quorumUp) {
            if (sum > 0 && sum >= vs.quorum + vs.hysteresis) {
                gain(vs, out, sum, false);
            }
            return;
        }
        long threshold = vs.quorum - vs.hysteresis;
        if (sum == 0 || sum < threshold) {
            vs.quorumUp = false;
            out.add(info("Lost quorum " + vs.quorum + "-" + vs.hysteresis + "=" + threshold + " > " + sum
                    + " for VS " + vs.name));
            vs.cfg.quorumDown().ifPresent(s -> out.add(new DirectorAction.RunScript("quorum_down", s, vs.name)));
            out.add(new DirectorAction.FifoLine(FifoLines.virtualServer(vs.name, false)));
            quorumMail(vs, "Lost quorum", threshold, sum, out);
            vs.cfg.sorryServer().ifPresent(s -> {
                out.add(info((s.inhibit() ? "Enabling" : "Adding") + " sorry server " + fmtSorry(s, vs.cfg)
                        + " to VS " + vs.name));
                out.add(info("Removing alive servers from the pool for VS " + vs.name));
            });
        }
    }

    /** The virtual server's quorum mail (keepalived's do_vs_notifies), when its smtp_alert is in force. */
    private static void quorumMail(Vs vs, String what, long threshold, long sum, List<DirectorAction> out) {
        if (vs.cfg.smtpAlert()) {
            out.add(new DirectorAction.SmtpAlert(SmtpAlerts.virtualServerSubject(vs.name, vs.quorumUp),
                    SmtpAlerts.quorumBody(what, vs.quorum, vs.hysteresis, threshold, sum)));
        }
    }

    private void gain(Vs vs, List<DirectorAction> out, long sum, boolean init) {
        boolean sorryWasActive = vs.sorryActive();
        vs.quorumUp = true;
        out.add(info("Gained quorum " + vs.quorum + "+" + vs.hysteresis + "=" + (vs.quorum + vs.hysteresis) + " <= "
                + sum + " for VS " + vs.name));
        if (sorryWasActive && !init) {
            SorryServer s = vs.cfg.sorryServer().orElseThrow();
            out.add(info((s.inhibit() ? "Disabling" : "Removing") + " sorry server " + fmtSorry(s, vs.cfg)
                    + " from VS " + vs.name));
            out.add(info("Adding alive servers to the pool for VS " + vs.name));
        }
        vs.cfg.quorumUp().ifPresent(s -> out.add(new DirectorAction.RunScript("quorum_up", s, vs.name)));
        out.add(new DirectorAction.FifoLine(FifoLines.virtualServer(vs.name, true)));
        quorumMail(vs, init ? "Starting with quorum up" : "Gained quorum", vs.quorum + vs.hysteresis, sum, out);
    }

    private static Vs owner(Rs rs) {
        return rs.vs;
    }

    private static DirectorAction.Log info(String s) {
        return new DirectorAction.Log(Level.INFO, s);
    }

    /** keepalived's FMT_RS: {@code [10.0.0.2]:tcp:80}. */
    static String fmtRs(InetAddress a, int port, VirtualServer v) {
        return InetText.trio(a, v.protocol().keyword(), port);
    }

    static String fmtSorry(SorryServer s, VirtualServer v) {
        return fmtRs(s.address(), IpvsMapping.sorryPort(s, v), v);
    }
}
