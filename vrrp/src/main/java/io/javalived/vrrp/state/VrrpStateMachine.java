package io.javalived.vrrp.state;

import io.javalived.vrrp.state.VrrpAction.GratuitousCause;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One VRRP instance's protocol state machine (RFC 3768 / RFC 5798 with keepalived 2.2.7's semantics). Pure: no
 * threads, no I/O, no clock — every input carries the current time in nanoseconds (any monotonic origin, e.g.
 * {@link System#nanoTime()}), and returns the {@link VrrpAction}s the driver must perform, in order.
 *
 * <p>Driver contract: call {@link #start} once; call {@link #onTimer} whenever {@code now >= }
 * {@link #nextDeadlineNanos()} (calling it early is harmless); feed every advert that passed
 * {@code VrrpValidator} to {@link #onAdvert}; report trackers with {@link #setEffectivePriority} and
 * {@link #setFault}; call {@link #shutdown} on SIGTERM. Not thread-safe: drive one instance from one thread (or
 * under one lock); only the getters {@link #state()}, {@link #effectivePriority()} and {@link #lastMasterAddress()}
 * may be read from other threads. When the instance is in a sync group, route every input through
 * {@link SyncGroupCoordinator#dispatch} instead.
 *
 * <p>Timers the machine owns: the master's advert timer, the backup's master-down timer, the garp_master_delay
 * burst, the garp_master_refresh period and the garp_lower_prio_delay burst. The master's advert timer is set
 * only on becoming MASTER and advanced only by {@link #onTimer}: no received advert (valid, foreign, hostile) can
 * delay or cancel a master's periodic adverts. (keepalived 2.2.7 re-arms the master's advert timer after every
 * received packet, which is how a stream of invalid adverts silences it; javalived does not.) The extra adverts a
 * master sends in answer to priority-0 or lower-priority adverts are limited to one per advert interval, so a flood
 * cannot make it amplify.
 *
 * <p>Timing, as keepalived: skew = (256 − priority)/256 s (v2) or (256 − priority) × Master_Adver_Interval / 256
 * (v3), computed in keepalived's integer microseconds; master_down = down_timer_adverts (3) × Master_Adver_Interval
 * + skew. A v3 backup adopts the master's advertised interval; v2 always uses its own.
 *
 * <p>Restart without a blip (javalived, not keepalived): when the driver found this instance's VIPs on the
 * interfaces at start (a previous run that was MASTER died without cleaning up) it calls
 * {@link #keepVirtualIpsAtStart()} before {@link #start}. The instance then stays in INIT <em>holding</em> the VIPs
 * for one master_down interval, sending nothing: an advert from a master that wins the RFC election against us
 * (higher priority, or equal priority and a higher primary address), or from any master under nopreempt or while
 * preempt_delay runs, makes it release the VIPs and enter BACKUP with that master; a fault releases them and
 * enters FAULT; otherwise, at the end of the interval, it enters MASTER without ever having removed them. keepalived
 * 2.2.7 removes them at start and enters BACKUP, adding them again master_down later.
 */
public final class VrrpStateMachine {
    /** No deadline. */
    public static final long NEVER = Long.MAX_VALUE;
    /** Lowest Master_Adver_Interval adopted from an advert (a v3 advert may carry 0). */
    static final long MIN_ADOPTED_INTERVAL = 10_000_000L;

    private volatile VrrpSettings s; // replaced only by reconfigure (a reload)
    private final String prefix;

    // volatile: state(), effectivePriority() and lastMasterAddress() may be read from another thread (receive
    // thread, metrics); all inputs must still come from one thread or under one lock.
    private volatile VrrpState state = VrrpState.INIT;
    private int basePriority;
    private volatile int effectivePriority;
    private long masterAdverInterval;

    private long advertAt = NEVER;
    private long masterDownAt = NEVER;
    private long garpDelayAt = NEVER;
    private long garpRefreshAt = NEVER;
    private long garpLowerPrioAt = NEVER;

    private boolean preemptTimeSet;
    private long preemptTime;
    private boolean extraAdvertAllowed = true;
    private boolean ownFault;
    private boolean groupFault;
    private boolean wantMaster;
    private volatile InetAddress masterAddress;
    private int masterPriority = -1;
    private SyncGate gate;
    /** {@link #keepVirtualIpsAtStart()} was called (before start). */
    private boolean keepAtStart;
    /** INIT after start, holding the VIPs found at start, until {@link #holdUntil}. */
    private boolean holding;
    private long holdUntil = NEVER;

    public VrrpStateMachine(VrrpSettings settings) {
        this.s = settings;
        this.prefix = settings.logStyle().prefix(settings.name()) + " ";
        this.basePriority = settings.basePriority();
        this.effectivePriority = settings.basePriority();
        this.masterAdverInterval = settings.advertIntervalNanos();
    }

    // ------------------------------------------------------------------ accessors

    public VrrpSettings settings() {
        return s;
    }

    public String name() {
        return s.name();
    }

    public VrrpState state() {
        return state;
    }

    /** Priority sent in our adverts (base priority adjusted by trackers; 255 for the address owner). */
    public int effectivePriority() {
        return effectivePriority;
    }

    /** Master_Adver_Interval in use (v3 backups adopt the master's). */
    public long masterAdverIntervalNanos() {
        return masterAdverInterval;
    }

    /** Skew_Time for our effective priority and the current Master_Adver_Interval. */
    public long skewNanos() {
        return skew(256 - effectivePriority);
    }

    /** Master_Down_Interval for our effective priority and the current Master_Adver_Interval. */
    public long masterDownIntervalNanos() {
        return masterDown(effectivePriority);
    }

    /** When {@link #onTimer} must next be called; {@link #NEVER} if no timer runs (INIT, FAULT, STOP). */
    public long nextDeadlineNanos() {
        long d = NEVER;
        if (state == VrrpState.MASTER) {
            d = Math.min(Math.min(advertAt, garpDelayAt), Math.min(garpRefreshAt, garpLowerPrioAt));
        } else if (state == VrrpState.BACKUP) {
            d = masterDownAt;
        } else if (holding) {
            d = holdUntil;
        }
        return d;
    }

    /**
     * True while the instance, in INIT after {@link #start}, holds the VIPs it found at start and listens for a
     * master (see {@link #keepVirtualIpsAtStart()}).
     */
    public boolean holdingVirtualIps() {
        return holding;
    }

    /** While {@link #holdingVirtualIps()}: when the instance becomes MASTER if no master is heard; else NEVER. */
    public long holdDeadlineNanos() {
        return holding ? holdUntil : NEVER;
    }

    /** BACKUP: when the master is declared down (if no advert comes); else {@link #NEVER}. */
    public long masterDownDeadlineNanos() {
        return state == VrrpState.BACKUP ? masterDownAt : NEVER;
    }

    /** MASTER: when the next periodic advert is due; else {@link #NEVER}. */
    public long advertDeadlineNanos() {
        return state == VrrpState.MASTER ? advertAt : NEVER;
    }

    /**
     * The source of the master's adverts as last accepted by this BACKUP (for skip_check_adv_addr), null in any
     * other state — pass it to {@code VrrpValidator.validate(adv, lastMasterAddress)}.
     */
    public InetAddress lastMasterAddress() {
        return state == VrrpState.BACKUP ? masterAddress : null;
    }

    /** Priority of the last advert accepted from the master, -1 if none. */
    public int masterPriority() {
        return masterPriority;
    }

    /** True when a tracker reported a fault (own fault, not the sync group's). */
    public boolean ownFault() {
        return ownFault;
    }

    /** True when a BACKUP's master-down timer expired but its sync group held it back (keepalived wantstate). */
    public boolean wantsMaster() {
        return state == VrrpState.MASTER || (state == VrrpState.BACKUP && wantMaster) || holding;
    }

    void setGate(SyncGate g) {
        this.gate = g;
    }

    boolean groupFault() {
        return groupFault;
    }

    void setGroupFaultSilently(boolean f) {
        groupFault = f;
    }

    // ------------------------------------------------------------------ inputs

    /**
     * The driver found this instance's VIPs on the interfaces (left by a previous run that was MASTER) and did not
     * remove them: {@link #start} then keeps them while it listens for a master for one master_down interval, and
     * the machine decides their fate (MASTER keeps them, BACKUP, FAULT and STOP remove them). Call before
     * {@link #start}; ignored afterwards.
     */
    public void keepVirtualIpsAtStart() {
        if (state == VrrpState.INIT && !holding) {
            keepAtStart = true;
        }
    }

    /**
     * Leaves INIT: FAULT if a fault is already reported; MASTER at once for the address owner (priority 255)
     * configured {@code state MASTER}; otherwise BACKUP, with master_down as the first timeout (also for
     * {@code state MASTER} below 255, as keepalived 2.2.7 does; in a sync group such a member waits one advert
     * interval plus the minimal skew instead). After {@link #keepVirtualIpsAtStart()}: FAULT removes the VIPs, the
     * address owner keeps them as MASTER, any other instance stays in INIT holding them for master_down.
     */
    public List<VrrpAction> start(long now) {
        List<VrrpAction> out = new ArrayList<>();
        if (state != VrrpState.INIT || holding) {
            return out;
        }
        boolean keep = keepAtStart;
        keepAtStart = false;
        masterAdverInterval = s.advertIntervalNanos();
        if (ownFault || groupFault) {
            if (keep) {
                out.add(new VrrpAction.RemoveVirtualIps());
            }
            change(out, VrrpState.FAULT, TransitionReason.STARTUP, "Entering FAULT STATE (init)");
            return out;
        }
        if (s.initialMaster() && basePriority == 255) {
            if (mayGoMaster()) {
                becomeMaster(now, TransitionReason.STARTUP, out);
                return out;
            }
            wantMaster = true;
        }
        if (keep) {
            holding = true;
            holdUntil = now + masterDown(effectivePriority);
            out.add(new VrrpAction.Log(Level.INFO, prefix + "Found its VIPs set at start - keeping them while"
                    + " listening for a master for " + seconds(holdUntil - now) + " s"));
            return out;
        }
        change(out, VrrpState.BACKUP, TransitionReason.STARTUP, "Entering BACKUP STATE (init)");
        // keepalived: a sync group member configured MASTER waits one advert interval plus the minimal skew; every
        // other instance (state MASTER or BACKUP) waits master_down (observed with keepalived 2.2.7).
        masterDownAt = now + (s.initialMaster() && gate != null ? masterAdverInterval + skew(1)
                : masterDown(effectivePriority));
        return out;
    }

    /**
     * The actions of {@link #onTimer} and {@link #onAdvert} are collected here and then returned as {@code List.of()},
     * the cached one-advert list or a copy: the steady state (a MASTER's periodic advert, a BACKUP hearing its master)
     * allocates nothing, so the VRRP threads never wait for the heap.
     */
    private final ArrayList<VrrpAction> scratch = new ArrayList<>(8);
    /** The steady MASTER's one action, per priority (immutable). */
    private List<VrrpAction> advertOnly = List.of(new VrrpAction.SendAdvert(0));

    private List<VrrpAction> result(ArrayList<VrrpAction> out) {
        int n = out.size();
        List<VrrpAction> r;
        if (n == 0) {
            r = List.of();
        } else if (n == 1 && out.get(0) instanceof VrrpAction.SendAdvert a) {
            List<VrrpAction> c = advertOnly;
            if (((VrrpAction.SendAdvert) c.get(0)).priority() != a.priority()) {
                c = List.of(a);
                advertOnly = c;
            }
            r = c;
        } else {
            r = new ArrayList<>(out);
        }
        out.clear();
        return r;
    }

    /** A SendAdvert of {@code priority}: the cached one when it has that priority. */
    private VrrpAction.SendAdvert sendAdvert(int priority) {
        VrrpAction.SendAdvert a = (VrrpAction.SendAdvert) advertOnly.get(0);
        return a.priority() == priority ? a : new VrrpAction.SendAdvert(priority);
    }

    /**
     * Runs the timers that are due at {@code now}. The returned list is immutable; a MASTER's periodic advert
     * allocates nothing.
     */
    public List<VrrpAction> onTimer(long now) {
        ArrayList<VrrpAction> out = scratch;
        out.clear();
        if (state == VrrpState.MASTER) {
            if (advertAt <= now) {
                out.add(sendAdvert(effectivePriority));
                advertAt = advertAt + s.advertIntervalNanos();
                if (advertAt <= now) {
                    advertAt = now + s.advertIntervalNanos();
                }
                extraAdvertAllowed = true;
            }
            if (garpDelayAt <= now) {
                garpDelayAt = NEVER;
                if (s.garpMasterRepeat() > 0) {
                    out.add(new VrrpAction.SendGratuitous(s.garpMasterRepeat(), GratuitousCause.MASTER_DELAY));
                }
            }
            if (garpRefreshAt <= now) {
                garpRefreshAt = now + s.garpMasterRefreshNanos();
                if (s.garpMasterRefreshRepeat() > 0) {
                    out.add(new VrrpAction.SendGratuitous(s.garpMasterRefreshRepeat(), GratuitousCause.REFRESH));
                }
            }
            if (garpLowerPrioAt <= now) {
                garpLowerPrioAt = NEVER;
                out.add(new VrrpAction.SendGratuitous(s.garpLowerPrioRepeat(), GratuitousCause.LOWER_PRIORITY));
            }
        } else if (state == VrrpState.BACKUP && masterDownAt <= now) {
            wantMaster = true;
            if (mayGoMaster()) {
                becomeMaster(now, TransitionReason.MASTER_DOWN, out);
            } else {
                // Held by the sync group until every member wants MASTER; try again after master_down.
                masterDownAt = now + masterDown(effectivePriority);
            }
        } else if (holding && holdUntil <= now) {
            if (mayGoMaster()) {
                becomeMaster(now, TransitionReason.MASTER_DOWN, out);
            } else {
                // a sync group member that does not want MASTER (it heard a master): release, then as a BACKUP
                // whose master-down timer expired
                out.add(new VrrpAction.Log(Level.INFO, prefix + "sync group is not MASTER - releasing its VIPs"));
                releaseHeld(now, out);
                wantMaster = true;
            }
        }
        return result(out);
    }

    /**
     * An advert that passed validation. Ignored in INIT, FAULT and STOP. The returned list is immutable; a BACKUP
     * hearing its master allocates nothing.
     */
    public List<VrrpAction> onAdvert(long now, PeerAdvert a) {
        ArrayList<VrrpAction> out = scratch;
        out.clear();
        if (state == VrrpState.BACKUP) {
            backupReceive(now, a, out);
        } else if (state == VrrpState.MASTER) {
            masterReceive(now, a, out);
        } else if (holding) {
            holdReceive(now, a, out);
        }
        return result(out);
    }

    /**
     * The priority trackers give (base priority plus weights). keepalived: clamped to 1..254; the address owner's
     * priority never changes. A BACKUP's master-down deadline moves by the change in skew.
     */
    public List<VrrpAction> setEffectivePriority(long now, int totalPriority) {
        List<VrrpAction> out = new ArrayList<>();
        if (basePriority == 255 || state == VrrpState.STOP) {
            return out;
        }
        int p = Math.max(1, Math.min(254, totalPriority));
        if (p == effectivePriority) {
            return out;
        }
        int old = effectivePriority;
        out.add(new VrrpAction.Log(Level.INFO, prefix + "Changing effective priority from " + old + " to " + p));
        out.add(new VrrpAction.PriorityChanged(old, p));
        if (state == VrrpState.BACKUP && masterDownAt != NEVER) {
            masterDownAt += masterDown(p) - masterDown(old);
        }
        if (holding) {
            holdUntil += masterDown(p) - masterDown(old);
        }
        effectivePriority = p;
        return out;
    }

    /**
     * A tracker fault (weight-0 script failing, tracked interface down, ...) on or off; the driver aggregates its
     * trackers into one flag. Entering FAULT from MASTER sends priority 0 and removes the VIPs; leaving FAULT goes
     * to BACKUP (or straight to MASTER for an address owner configured MASTER).
     */
    public List<VrrpAction> setFault(long now, boolean fault) {
        ownFault = fault;
        return reconcileFault(now, TransitionReason.FAULT, TransitionReason.FAULT_CLEARED);
    }

    /**
     * Stops the instance: a MASTER (or an instance holding the VIPs found at start) sends priority 0 and removes its
     * VIPs. Terminal: later inputs do nothing.
     */
    public List<VrrpAction> shutdown(long now) {
        List<VrrpAction> out = new ArrayList<>();
        if (state == VrrpState.STOP) {
            return out;
        }
        if (state == VrrpState.MASTER || holding) {
            holding = false;
            out.add(new VrrpAction.SendAdvert(0));
            out.add(new VrrpAction.Log(Level.INFO, prefix + "sent 0 priority"));
            out.add(new VrrpAction.RemoveVirtualIps());
        }
        change(out, VrrpState.STOP, TransitionReason.SHUTDOWN, "Stopped");
        clearTimers();
        return out;
    }

    /**
     * A reload changed the instance's configuration (keepalived 2.2.7 carries the state over): the state is kept; the
     * base priority becomes {@code settings.basePriority()} and the effective priority {@code totalPriority} (clamped
     * as {@link #setEffectivePriority}; 255 for an address owner). A MASTER sends its next advert at once, with the
     * new priority, and keeps its VIPs (a backup of higher priority then preempts as usual); a BACKUP restarts its
     * master-down timer. The instance's identity (name, version) must not change.
     */
    public List<VrrpAction> reconfigure(long now, VrrpSettings settings, int totalPriority) {
        List<VrrpAction> out = new ArrayList<>();
        if (!settings.name().equals(s.name()) || settings.version() != s.version()) {
            throw new IllegalArgumentException("reconfigure cannot change the name or version of " + s.name());
        }
        if (state == VrrpState.STOP) {
            return out;
        }
        VrrpSettings old = s;
        s = settings;
        basePriority = settings.basePriority();
        int p = basePriority == 255 ? 255 : Math.max(1, Math.min(254, totalPriority));
        if (p != effectivePriority) {
            out.add(new VrrpAction.Log(Level.INFO, prefix + "Changing effective priority from " + effectivePriority
                    + " to " + p));
            out.add(new VrrpAction.PriorityChanged(effectivePriority, p));
            effectivePriority = p;
        }
        if (state == VrrpState.MASTER) {
            masterAdverInterval = s.advertIntervalNanos();
            advertAt = now; // keepalived: a master being reloaded adverts at once
            if (old.garpMasterRefreshNanos() != s.garpMasterRefreshNanos()) {
                garpRefreshAt = s.garpMasterRefreshNanos() > 0 ? now + s.garpMasterRefreshNanos() : NEVER;
            }
            if (s.garpLowerPrioDelayNanos() == 0) {
                garpLowerPrioAt = NEVER;
            }
            if (s.garpMasterDelayNanos() == 0) {
                garpDelayAt = NEVER;
            }
        } else if (state == VrrpState.BACKUP) {
            if (s.version() == 2 || masterPriority < 0) {
                masterAdverInterval = s.advertIntervalNanos();
            }
            if (s.preemptDelayNanos() != old.preemptDelayNanos() || s.preempt() != old.preempt()) {
                preemptTimeSet = false;
            }
            masterDownAt = now + masterDown(effectivePriority); // keepalived restarts the timer on reload
        }
        return out;
    }

    // ------------------------------------------------------------------ sync group hooks

    List<VrrpAction> setGroupFault(long now, boolean fault) {
        if (groupFault == fault) {
            return new ArrayList<>();
        }
        groupFault = fault;
        return reconcileFault(now, TransitionReason.SYNC_GROUP, TransitionReason.SYNC_GROUP);
    }

    /** Sync group moves this member to MASTER (another member became MASTER). */
    List<VrrpAction> syncGotoMaster(long now) {
        List<VrrpAction> out = new ArrayList<>();
        if (state == VrrpState.BACKUP || holding) {
            becomeMaster(now, TransitionReason.SYNC_GROUP, out);
        }
        return out;
    }

    /** Sync group moves this member to BACKUP (another member became BACKUP). */
    List<VrrpAction> syncToBackup(long now) {
        List<VrrpAction> out = new ArrayList<>();
        if (state == VrrpState.MASTER) {
            masterAdverInterval = s.advertIntervalNanos();
            leaveMaster(now, VrrpState.BACKUP, TransitionReason.SYNC_GROUP, out);
        } else if (state == VrrpState.FAULT && !ownFault && !groupFault) {
            toBackupFromFault(now, TransitionReason.SYNC_GROUP, out);
        } else if (state == VrrpState.BACKUP) {
            wantMaster = false;
        }
        return out;
    }

    /**
     * Another member of our sync group, as MASTER, received a lower-priority advert: keepalived refreshes this
     * member's neighbours too (garp_lower_prio_repeat now, again after garp_lower_prio_delay).
     */
    List<VrrpAction> syncLowerPriorityGarp(long now) {
        List<VrrpAction> out = new ArrayList<>();
        if (state == VrrpState.MASTER && s.garpLowerPrioRepeat() > 0) {
            out.add(new VrrpAction.SendGratuitous(s.garpLowerPrioRepeat(), GratuitousCause.LOWER_PRIORITY));
            if (s.garpLowerPrioDelayNanos() > 0) {
                garpLowerPrioAt = now + s.garpLowerPrioDelayNanos();
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ internals

    private boolean mayGoMaster() {
        return gate == null || gate.canGoMaster(this);
    }

    private List<VrrpAction> reconcileFault(long now, TransitionReason in, TransitionReason outReason) {
        List<VrrpAction> out = new ArrayList<>();
        if ((state == VrrpState.INIT && !holding) || state == VrrpState.STOP) {
            return out;
        }
        boolean f = ownFault || groupFault;
        if (f && state != VrrpState.FAULT) {
            if (state == VrrpState.MASTER) {
                leaveMaster(now, VrrpState.FAULT, in, out);
            } else if (holding) {
                holding = false;
                change(out, VrrpState.FAULT, in, "Entering FAULT STATE");
                out.add(new VrrpAction.RemoveVirtualIps());
                clearTimers();
            } else {
                change(out, VrrpState.FAULT, in, "Entering FAULT STATE");
                clearTimers();
            }
            wantMaster = false;
        } else if (!f && state == VrrpState.FAULT) {
            masterAdverInterval = s.advertIntervalNanos();
            if (s.initialMaster() && basePriority == 255 && mayGoMaster()) {
                becomeMaster(now, outReason, out);
            } else {
                toBackupFromFault(now, outReason, out);
            }
        }
        return out;
    }

    private void toBackupFromFault(long now, TransitionReason reason, List<VrrpAction> out) {
        masterAdverInterval = s.advertIntervalNanos();
        change(out, VrrpState.BACKUP, reason, "Entering BACKUP STATE");
        preemptTimeSet = false;
        wantMaster = false;
        masterAddress = null;
        masterDownAt = now + masterDown(effectivePriority);
    }

    private void becomeMaster(long now, TransitionReason reason, List<VrrpAction> out) {
        holding = false;
        masterAdverInterval = s.advertIntervalNanos();
        // Advert first, so that the old master removes the VIPs before our gratuitous ARPs (keepalived order).
        out.add(new VrrpAction.SendAdvert(effectivePriority));
        change(out, VrrpState.MASTER, reason, "Entering MASTER STATE");
        out.add(new VrrpAction.AddVirtualIps());
        if (s.garpMasterRepeat() > 0) {
            out.add(new VrrpAction.SendGratuitous(s.garpMasterRepeat(), GratuitousCause.BECOME_MASTER));
        }
        clearTimers();
        advertAt = now + s.advertIntervalNanos();
        extraAdvertAllowed = true;
        garpDelayAt = s.garpMasterDelayNanos() > 0 ? now + s.garpMasterDelayNanos() : NEVER;
        garpRefreshAt = s.garpMasterRefreshNanos() > 0 ? now + s.garpMasterRefreshNanos() : NEVER;
        wantMaster = true;
        masterAddress = null;
        masterPriority = -1;
    }

    private void leaveMaster(long now, VrrpState to, TransitionReason reason, List<VrrpAction> out) {
        clearTimers();
        if (to == VrrpState.BACKUP) {
            change(out, VrrpState.BACKUP, reason, "Entering BACKUP STATE");
            out.add(new VrrpAction.RemoveVirtualIps());
            preemptTimeSet = false;
            wantMaster = false;
            masterDownAt = now + masterDown(effectivePriority);
        } else {
            change(out, VrrpState.FAULT, reason, "Entering FAULT STATE");
            out.add(new VrrpAction.SendAdvert(0));
            out.add(new VrrpAction.RemoveVirtualIps());
            wantMaster = false;
        }
    }

    private void backupReceive(long now, PeerAdvert a, List<VrrpAction> out) {
        if (a.priority() == 0) {
            out.add(new VrrpAction.Log(Level.DEBUG, prefix + "Backup received priority 0 advertisement"));
            masterDownAt = now + skew(256 - effectivePriority);
            return;
        }
        boolean delayRunning = s.preemptDelayNanos() > 0 && (!preemptTimeSet || preemptTime > now);
        if (!s.preempt() || a.priority() >= effectivePriority || delayRunning) {
            if (s.version() == 3) {
                masterAdverInterval = Math.max(MIN_ADOPTED_INTERVAL, a.advertIntervalNanos());
            }
            masterAddress = a.source();
            masterPriority = a.priority();
            if (s.preemptDelayNanos() > 0) {
                if (a.priority() >= effectivePriority) {
                    preemptTimeSet = false;
                } else if (!preemptTimeSet) {
                    preemptTimeSet = true;
                    preemptTime = now + s.preemptDelayNanos();
                    out.add(new VrrpAction.Log(Level.DEBUG, prefix + "start preempt delay ("
                            + seconds(s.preemptDelayNanos()) + ")"));
                }
            }
            wantMaster = false;
            masterDownAt = now + masterDown(effectivePriority);
        } else {
            out.add(new VrrpAction.Log(Level.INFO, prefix + "received lower priority (" + a.priority()
                    + ") advert from " + a.source().getHostAddress() + " - discarding"));
            masterAddress = a.source();
        }
    }

    /**
     * INIT holding the VIPs found at start: a master that wins the election against us (RFC: higher priority, or
     * equal priority and higher primary address), or any master under nopreempt or a running preempt_delay, takes
     * them: release and follow it as BACKUP. A losing master is ignored (we become MASTER at the end of the window and
     * it steps down on our adverts); priority 0 (a master leaving) shortens the window to the skew, as for a BACKUP.
     */
    private void holdReceive(long now, PeerAdvert a, List<VrrpAction> out) {
        int p = a.priority();
        String from = a.source().getHostAddress();
        if (p == 0) {
            out.add(new VrrpAction.Log(Level.DEBUG, prefix + "received priority 0 advertisement"));
            holdUntil = Math.min(holdUntil, now + skew(256 - effectivePriority));
            return;
        }
        int cmp = compareAddresses(a.source(), s.primaryAddress());
        boolean higher = p > effectivePriority || (p == effectivePriority && cmp > 0);
        boolean delayRunning = s.preemptDelayNanos() > 0 && (!preemptTimeSet || preemptTime > now);
        if (higher) {
            out.add(new VrrpAction.Log(Level.INFO, prefix + "Received advert from " + from
                    + (p > effectivePriority ? " with higher priority " + p + ", ours " + effectivePriority
                            : " with same priority " + p + " but higher IP address than ours")
                    + " - releasing its VIPs"));
        } else if (!s.preempt() || delayRunning) {
            out.add(new VrrpAction.Log(Level.INFO, prefix + "Received advert from " + from + " with priority " + p
                    + ", ours " + effectivePriority + " - " + (s.preempt() ? "preempt_delay" : "nopreempt")
                    + ", releasing its VIPs"));
        } else {
            out.add(new VrrpAction.Log(Level.INFO, prefix + "received lower priority (" + p + ") advert from " + from
                    + " - discarding"));
            return;
        }
        releaseHeld(now, out);
        backupReceive(now, a, out); // follow that master (its address, v3 interval, master-down timer)
    }

    /** INIT holding the VIPs: BACKUP without them. */
    private void releaseHeld(long now, List<VrrpAction> out) {
        holding = false;
        clearTimers();
        change(out, VrrpState.BACKUP, TransitionReason.STARTUP, "Entering BACKUP STATE");
        out.add(new VrrpAction.RemoveVirtualIps());
        preemptTimeSet = false;
        wantMaster = false;
        masterAddress = null;
        masterDownAt = now + masterDown(effectivePriority);
    }

    private void masterReceive(long now, PeerAdvert a, List<VrrpAction> out) {
        int cmp = compareAddresses(a.source(), s.primaryAddress());
        int p = a.priority();
        boolean higher = p > effectivePriority || (p == effectivePriority && cmp > 0);
        if (p == 0 || (s.higherPrioSendAdvert() && higher)) {
            extraAdvert(out);
            if (p == 0) {
                out.add(new VrrpAction.Log(Level.DEBUG, prefix + "Master received priority 0 message"));
                return;
            }
        }
        if (p == effectivePriority) {
            if (cmp == 0) {
                out.add(new VrrpAction.Log(Level.WARNING, prefix
                        + "WARNING - equal priority advert received from remote host with our IP address."));
            } else if (effectivePriority == 255) {
                out.add(new VrrpAction.Log(Level.WARNING, prefix + "CONFIGURATION ERROR: local instance and a "
                        + "remote instance are both configured as address owner, please fix - reducing local "
                        + "priority"));
                out.add(new VrrpAction.PriorityChanged(255, 254));
                effectivePriority = 254;
                basePriority = 254;
            }
        }
        if (p < effectivePriority || (p == effectivePriority && cmp < 0)) {
            out.add(new VrrpAction.Log(Level.INFO, prefix + "Received advert from " + a.source().getHostAddress()
                    + " with lower priority " + p + ", ours " + effectivePriority
                    + (s.lowerPrioNoAdvert() ? "" : ", forcing new election")));
            if (!s.lowerPrioNoAdvert()) {
                extraAdvert(out);
            }
            if (s.garpLowerPrioRepeat() > 0) {
                out.add(new VrrpAction.SendGratuitous(s.garpLowerPrioRepeat(), GratuitousCause.LOWER_PRIORITY));
                if (s.garpLowerPrioDelayNanos() > 0) {
                    garpLowerPrioAt = now + s.garpLowerPrioDelayNanos();
                }
            }
            out.add(new VrrpAction.MasterReceivedLowerPriority(a.source(), p));
            return;
        }
        if (p > effectivePriority || (p == effectivePriority && cmp > 0)) {
            if (p > effectivePriority) {
                out.add(new VrrpAction.Log(Level.INFO, prefix + "Master received advert from "
                        + a.source().getHostAddress() + " with higher priority " + p + ", ours "
                        + effectivePriority));
            } else {
                out.add(new VrrpAction.Log(Level.INFO, prefix + "Master received advert from "
                        + a.source().getHostAddress() + " with same priority " + p
                        + " but higher IP address than ours"));
            }
            if (s.version() == 3) {
                masterAdverInterval = Math.max(MIN_ADOPTED_INTERVAL, a.advertIntervalNanos());
            }
            leaveMaster(now, VrrpState.BACKUP, TransitionReason.HIGHER_PRIORITY_ADVERT, out);
            masterAddress = a.source();
            masterPriority = p;
        }
    }

    /** An advert outside the periodic schedule, at most one per advert interval (the schedule is untouched). */
    private void extraAdvert(List<VrrpAction> out) {
        if (extraAdvertAllowed) {
            extraAdvertAllowed = false;
            out.add(new VrrpAction.SendAdvert(effectivePriority));
        }
    }

    private void change(List<VrrpAction> out, VrrpState to, TransitionReason reason, String text) {
        VrrpState from = state;
        state = to;
        out.add(new VrrpAction.StateChanged(from, to, reason, prefix + text));
    }

    private void clearTimers() {
        advertAt = NEVER;
        masterDownAt = NEVER;
        garpDelayAt = NEVER;
        garpRefreshAt = NEVER;
        garpLowerPrioAt = NEVER;
        holdUntil = NEVER;
    }

    /** keepalived's VRRP_TIMER_SKEW_CALC in integer microseconds, returned in nanoseconds. */
    long skew(int priorityValue) {
        long micros;
        if (s.version() == 3) {
            long centis = masterAdverInterval / 10_000_000L;
            micros = (priorityValue * centis * 625L) / 16L;
        } else {
            micros = priorityValue * 1_000_000L / 256L;
        }
        return micros * 1000L;
    }

    private long masterDown(int priority) {
        return s.downTimerAdverts() * masterAdverInterval + skew(256 - priority);
    }

    /**
     * keepalived's address comparison: numeric (unsigned, network order); 0 when either is null or the families
     * differ.
     */
    static int compareAddresses(InetAddress a, InetAddress b) {
        if (a == null || b == null) {
            return 0;
        }
        byte[] x = a.getAddress();
        byte[] y = b.getAddress();
        if (x.length != y.length) {
            return 0;
        }
        for (int i = 0; i < x.length; i++) {
            int c = Integer.compare(x[i] & 0xff, y[i] & 0xff);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static String seconds(long nanos) {
        return String.format("%d.%06d", nanos / 1_000_000_000L, (nanos % 1_000_000_000L) / 1000);
    }

    @Override
    public String toString() {
        return "VrrpStateMachine[" + s.name() + " " + state + " prio " + effectivePriority + "]";
    }
}
