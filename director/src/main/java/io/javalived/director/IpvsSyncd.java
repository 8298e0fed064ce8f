package io.javalived.director;

import io.javalived.config.model.GlobalDefs;
import io.javalived.config.model.KeepalivedConfig;
import io.javalived.config.model.VrrpInstance;
import io.javalived.ipvs.Ipvs;
import io.javalived.ipvs.SyncDaemon;
import io.javalived.netlink.NetlinkException;
import io.javalived.vrrp.state.VrrpState;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Objects;
import java.util.function.Function;

/**
 * lvs_sync_daemon: the kernel's IPVS connection synchronisation daemon, run as keepalived 2.2.7 runs it
 * (ipvswrapper.c ipvs_syncd_*, vrrp.c, vrrp_scheduler.c, check_daemon.c).
 *
 * <ul>
 * <li>With a VRRP instance ({@code lvs_sync_daemon IFACE VI_NAME} or {@code inst VI_NAME}): the backup daemon runs
 * from the start; when the instance becomes MASTER the backup daemon is stopped and the master daemon started; when it
 * leaves MASTER, the reverse (FAULT from BACKUP changes nothing). At stop the daemon of the current state is stopped.
 * The sync id defaults to the instance's virtual_router_id; an instance that does not exist: "Unable to find vrrp
 * instance ... - clearing lvs_syncd config" and no daemon.</li>
 * <li>Without an instance: master and backup daemons both run from start to stop (stopped first, in case a previous
 * run died with them running). The sync id defaults to 0.</li>
 * <li>Reload: a changed setting (interface, id, maxlen, port, ttl, group) restarts the running daemon with the new
 * one; the daemon of the current state is started and the other stopped, errors of both ignored. A reload that removes
 * lvs_sync_daemon stops what javalived started (keepalived 2.2.7 leaves it running).</li>
 * </ul>
 * The kernel calls go through {@link Kernel}; everything here is synchronized (VRRP threads and the reload thread).
 */
public final class IpvsSyncd {
    private static final Logger LOG = System.getLogger("io.javalived.ipvs");

    /** IPVS_CMD_NEW_DAEMON / IPVS_CMD_DEL_DAEMON. */
    public interface Kernel {
        void start(SyncDaemon d) throws NetlinkException;

        void stop(int state) throws NetlinkException;

        static Kernel of(io.javalived.ipvs.IpvsClient c) {
            return new Kernel() {
                public void start(SyncDaemon d) throws NetlinkException {
                    c.startDaemon(d);
                }

                public void stop(int state) throws NetlinkException {
                    c.stopDaemon(state);
                }
            };
        }
    }

    /**
     * What to run: the daemon settings (state left NONE) and the VRRP instance that drives it (null: both daemons).
     */
    public record Plan(SyncDaemon settings, String instance) {
        public SyncDaemon as(int state) {
            SyncDaemon s = settings;
            return new SyncDaemon(state, s.interfaceName(), s.syncId(), s.maxLength(), s.group(), s.port(), s.ttl());
        }
    }

    private final Kernel kernel;
    private Plan plan;
    /** The daemon state javalived runs for an instance-driven plan: MASTER, BACKUP or NONE (not started). */
    private int running = Ipvs.STATE_NONE;
    private boolean both;

    public IpvsSyncd(Kernel kernel) {
        this.kernel = kernel;
    }

    /**
     * The plan of a configuration, or null without lvs_sync_daemon (or with an instance it does not have: logged as
     * keepalived does).
     */
    public static Plan plan(KeepalivedConfig c) {
        if (c.globalDefs() == null || c.globalDefs().lvsSyncDaemon().isEmpty()) {
            return null;
        }
        GlobalDefs.LvsSyncDaemon s = c.globalDefs().lvsSyncDaemon().get();
        Integer vrid = null;
        if (s.vrrpInstance().isPresent()) {
            String name = s.vrrpInstance().get();
            for (VrrpInstance i : c.vrrpInstances()) {
                if (i.name().equals(name)) {
                    vrid = i.virtualRouterId();
                }
            }
            if (vrid == null) {
                LOG.log(Level.WARNING, "Unable to find vrrp instance " + name + " for lvs_syncd - clearing lvs_syncd "
                        + "config (lvs_sync_daemon of global_defs names no vrrp_instance of the configuration)");
                return null;
            }
        }
        int id = s.syncId().orElse(vrid != null ? vrid : 0);
        SyncDaemon d = new SyncDaemon(Ipvs.STATE_NONE, s.interfaceName(), id, s.maxLen().orElse(0),
                s.group().orElse(null), s.port(), s.ttl().orElse(0));
        return new Plan(d, s.vrrpInstance().orElse(null));
    }

    /** The running plan (null: none). */
    public synchronized Plan current() {
        return plan;
    }

    /**
     * At start. {@code vrrpRuns}: the VRRP side runs (an instance-driven plan needs it); {@code checkersRun}: the
     * checker side runs (a plan without instance is the checkers').
     */
    public synchronized void start(Plan p, boolean vrrpRuns, boolean checkersRun) {
        plan = null;
        both = false;
        running = Ipvs.STATE_NONE;
        if (p == null || (p.instance() != null && !vrrpRuns) || (p.instance() == null && !checkersRun)) {
            return;
        }
        plan = p;
        if (p.instance() == null) {
            stop(Ipvs.STATE_MASTER, true);
            stop(Ipvs.STATE_BACKUP, true);
            start(Ipvs.STATE_MASTER, false);
            start(Ipvs.STATE_BACKUP, false);
            both = true;
        } else {
            start(Ipvs.STATE_BACKUP, false);
            running = Ipvs.STATE_BACKUP;
        }
    }

    /** A VRRP instance changed state. */
    public synchronized void onState(String instance, VrrpState state) {
        if (plan == null || plan.instance() == null || !plan.instance().equals(instance)) {
            return;
        }
        if (state == VrrpState.MASTER && running != Ipvs.STATE_MASTER) {
            stop(Ipvs.STATE_BACKUP, false);
            start(Ipvs.STATE_MASTER, false);
            running = Ipvs.STATE_MASTER;
        } else if (state != VrrpState.MASTER && running == Ipvs.STATE_MASTER) {
            stop(Ipvs.STATE_MASTER, false);
            start(Ipvs.STATE_BACKUP, false);
            running = Ipvs.STATE_BACKUP;
        }
    }

    /**
     * Reload with the new plan; {@code stateOf} gives an instance's state now (null: unknown, e.g. not running).
     */
    public synchronized void reload(Plan p, boolean vrrpRuns, boolean checkersRun,
                                    Function<String, VrrpState> stateOf) {
        Plan old = plan;
        if (p == null || (p.instance() != null && !vrrpRuns) || (p.instance() == null && !checkersRun)) {
            stopAll();
            return;
        }
        if (old == null || (old.instance() == null) != (p.instance() == null)) {
            stopAll();
            start(p, vrrpRuns, checkersRun);
            if (p.instance() != null) {
                onState(p.instance(), stateOf.apply(p.instance()));
            }
            return;
        }
        boolean changed = !old.settings().equals(p.settings());
        plan = p;
        if (p.instance() == null) {
            if (changed) {
                stop(Ipvs.STATE_MASTER, true);
                stop(Ipvs.STATE_BACKUP, true);
                start(Ipvs.STATE_MASTER, false);
                start(Ipvs.STATE_BACKUP, false);
            }
            return;
        }
        int want = stateOf.apply(p.instance()) == VrrpState.MASTER ? Ipvs.STATE_MASTER : Ipvs.STATE_BACKUP;
        if (!changed && want == running) {
            return;
        }
        if (changed) {
            stop(running == Ipvs.STATE_NONE ? want : running, true);
        }
        start(want, true);
        stop(want == Ipvs.STATE_MASTER ? Ipvs.STATE_BACKUP : Ipvs.STATE_MASTER, true);
        running = want;
    }

    /** At stop: the daemons javalived runs. */
    public synchronized void stopAll() {
        if (plan == null) {
            return;
        }
        if (both) {
            stop(Ipvs.STATE_MASTER, false);
            stop(Ipvs.STATE_BACKUP, false);
        } else if (running != Ipvs.STATE_NONE) {
            stop(running, false);
        }
        plan = null;
        both = false;
        running = Ipvs.STATE_NONE;
    }

    private void start(int state, boolean quiet) {
        SyncDaemon d = plan.as(state);
        try {
            kernel.start(d);
            LOG.log(Level.INFO, "IPVS: " + d.stateName() + " sync daemon started (mcast interface "
                    + d.interfaceName() + ", syncid " + d.syncId() + ")");
        } catch (NetlinkException | RuntimeException e) {
            if (!quiet) {
                LOG.log(Level.ERROR, "IPVS: cannot start the " + d.stateName() + " sync daemon on "
                        + d.interfaceName() + " (" + e.getMessage() + "): check the interface of lvs_sync_daemon "
                        + "in global_defs and ipvsadm -L --daemon");
            }
        }
    }

    private void stop(int state, boolean quiet) {
        String name = state == Ipvs.STATE_MASTER ? "master" : "backup";
        try {
            kernel.stop(state);
            LOG.log(Level.INFO, "IPVS: " + name + " sync daemon stopped");
        } catch (NetlinkException | RuntimeException e) {
            if (!quiet) {
                LOG.log(Level.ERROR, "IPVS: cannot stop the " + name + " sync daemon (" + e.getMessage()
                        + "): stop it with ipvsadm --stop-daemon " + name);
            }
        }
    }

    @Override
    public String toString() {
        return "IpvsSyncd[" + Objects.toString(plan) + ", running " + running + (both ? ", both" : "") + "]";
    }
}
