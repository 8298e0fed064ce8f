package io.javalived.vrrp.runtime;

import io.javalived.config.model.NotifyScript;
import io.javalived.netlink.inet.RawIpSocket;
import io.javalived.vrrp.net.VirtualAddresses;
import io.javalived.vrrp.net.VirtualRoutes;
import io.javalived.vrrp.net.VrrpHost;
import io.javalived.vrrp.notify.Notifier;
import io.javalived.vrrp.packet.AdvertDecoder;
import io.javalived.vrrp.packet.DecodeResult;
import io.javalived.vrrp.packet.ReceivedAdvert;
import io.javalived.vrrp.packet.Verdict;
import io.javalived.vrrp.packet.VrrpCounters;
import io.javalived.vrrp.packet.VrrpPacket;
import io.javalived.vrrp.packet.VrrpValidator;
import io.javalived.vrrp.state.CounterUpdate;
import io.javalived.vrrp.state.PeerAdvert;
import io.javalived.vrrp.state.VrrpAction;
import io.javalived.vrrp.state.VrrpSettings;
import io.javalived.vrrp.state.VrrpState;
import io.javalived.vrrp.state.VrrpStateMachine;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One running VRRP instance: drives the pure {@link VrrpStateMachine} on a dedicated maximum-priority thread and
 * performs its actions on the host ({@link VrrpHost} sockets, {@link VirtualAddresses}, notify scripts). Adverts are
 * received, decoded and validated on the receive thread and handed over through a bounded queue; the loop always
 * serves a due timer (the master's next advert) before a queued packet, so no packet delays the master's adverts.
 */
public final class VrrpInstance {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    /** Host-side settings the state machine does not know about. */
    public record Options(int version, int vrid, int basePriority, long advertIntervalNanos, boolean v3ChecksumAsV2,
                          int authType, byte[] authData, long garpIntervalNanos,
                          Optional<NotifyScript> notifyAny, Optional<NotifyScript> notifyMaster,
                          Optional<NotifyScript> notifyBackup, Optional<NotifyScript> notifyFault,
                          Optional<NotifyScript> notifyStop, Optional<NotifyScript> notifyMasterRxLowerPri,
                          boolean notifyPriorityChanges, boolean smtpAlert) {}

    private final String name;
    private volatile Options o; // replaced by a reload (reconfigure)
    private final VrrpStateMachine sm;
    private volatile VrrpValidator validator;
    private final VrrpHost host;
    private volatile VirtualAddresses vips;
    private volatile VirtualRoutes routes = new VirtualRoutes("", List.of(), List.of(), null);
    private final Notifier notifier;
    private final ScheduledExecutorService garpTimer;
    private final VrrpCounters counters = new VrrpCounters();
    private final BlockingQueue<Runnable> events = new ArrayBlockingQueue<>(1024);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile List<InetAddress> advertAddresses;
    private final Object ownLock = new Object();
    private volatile GroupRuntime group;
    private volatile VrrpState state = VrrpState.INIT;
    private volatile int priority;
    private VrrpState lastEmailState;
    private volatile Consumer<VrrpState> stateListener = st -> { };
    private volatile java.time.Instant stateSince = java.time.Instant.now();
    private volatile java.time.Instant masterSince;
    private volatile boolean running = true;

    public VrrpInstance(String name, Options options, VrrpStateMachine sm, VrrpValidator validator, VrrpHost host,
                        VirtualAddresses vips, Notifier notifier, ScheduledExecutorService garpTimer) {
        this.name = name;
        this.o = options;
        this.sm = sm;
        this.validator = validator;
        this.host = host;
        this.vips = vips;
        this.notifier = notifier;
        this.garpTimer = garpTimer;
        this.priority = options.basePriority();
        this.advertAddresses = advertAddresses(vips, host);
        this.thread = new Thread(this::loop, "vrrp-" + name);
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    public String name() {
        return name;
    }

    public VrrpState state() {
        return state;
    }

    public int priority() {
        return priority;
    }

    /** The source address of our adverts. */
    public InetAddress source() {
        return host.source();
    }

    /** The configured priority. */
    public int basePriority() {
        return o.basePriority();
    }

    public int vrid() {
        return o.vrid();
    }

    public int version() {
        return o.version();
    }

    /** When the instance entered its current state (wall clock). */
    public java.time.Instant stateSince() {
        return stateSince;
    }

    /** When it became MASTER; null unless MASTER. */
    public java.time.Instant masterSince() {
        return masterSince;
    }

    /** keepalived's per-instance statistics, for the metrics endpoint. */
    public VrrpCounters counters() {
        return counters;
    }

    VrrpStateMachine machine() {
        return sm;
    }

    void joinGroup(GroupRuntime g) {
        this.group = g;
    }

    private Object lock() {
        GroupRuntime g = group;
        return g != null ? g.lock() : ownLock;
    }

    /** Called on the instance thread after every state change (after the VIPs were added or removed). */
    public void onStateChange(Consumer<VrrpState> listener) {
        this.stateListener = listener;
    }

    /** Starts the instance thread and the receive thread. */
    public void start() {
        warmUp();
        thread.start();
        host.startReceiving(() -> realtime(tag() + " receive thread"), this::onDatagram);
    }

    /**
     * Runs the takeover's code once before it is needed, without side effects, so the first takeover of the process
     * does not pay for class loading and first-call linking: the state machine's takeover on a throw-away machine with
     * the same settings, the advert encoding (kept for use), the VIPs' rtnetlink requests and announcement frames
     * (prepared by the daemon) and the log line builders.
     */
    private void warmUp() {
        try {
            adverts(priority);
            VrrpStateMachine dry = new VrrpStateMachine(sm.settings());
            long t = 0;
            List<VrrpAction> acts = new ArrayList<>(dry.start(t));
            for (int i = 0; i < 4 && dry.nextDeadlineNanos() != VrrpStateMachine.NEVER; i++) {
                t = Math.max(t, dry.nextDeadlineNanos());
                acts.addAll(dry.onTimer(t));
            }
            StringBuilder lines = new StringBuilder(tag()); // what the log pass builds after a takeover
            for (VrrpAction a : acts) {
                if (a instanceof VrrpAction.StateChanged c) {
                    lines.append(c.logMessage()).append(c.to().name());
                }
            }
            vips.warmUp();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, tag() + " warm-up: " + e);
        }
    }

    /** Stops: a master sends priority 0 and releases its VIPs; notify_stop runs. Waits up to {@code millis}. */
    public void stop(long millis) {
        if (!thread.isAlive()) { // never started (start-up failed further on)
            host.close();
            vips.close();
            return;
        }
        post(() -> {
            input(System.nanoTime(), m -> m.shutdown(System.nanoTime()));
            running = false;
        });
        try {
            if (!stopped.await(millis, TimeUnit.MILLISECONDS)) {
                LOG.log(Level.WARNING, tag() + " did not stop in " + millis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.close();
        vips.close();
    }

    /**
     * A link changed (index, MAC address): the VIPs prepared for a takeover on {@code ifname} are prepared again.
     * Any thread; meant for the daemon's LinkMonitor listener. (Without it, a re-created interface is still found at
     * the takeover, at the cost of one failed request, and the VIPs are prepared again at every entry to BACKUP.)
     */
    public void linkChanged(String ifname) {
        vips.linkChanged(ifname);
    }

    private static List<InetAddress> advertAddresses(VirtualAddresses vips, VrrpHost host) {
        return vips.addressList().stream().filter(a -> (a instanceof Inet6Address) == host.ipv6())
                .limit(VrrpPacket.MAX_ADDRESSES).toList();
    }

    /**
     * A reload changed this instance's configuration but not its identity (see {@link ReloadDecision}): applied on
     * the instance thread without leaving the current state. A MASTER removes the VIPs no longer configured, adds the
     * new ones and, when it added any, announces its VIPs (gratuitous ARP / NA, garp_master_repeat times), then
     * adverts at once with the new priority; no notify script runs. Any thread; returns at once.
     *
     * @param options       the new host-side settings (same version and vrid)
     * @param settings      the new state machine settings
     * @param validator     checks received adverts from now on
     * @param newVips       the new VIPs (prepared), or null when they did not change
     * @param unicastPeers  the new unicast peers (unicast instances only), or null when they did not change
     * @param totalPriority the new priority with the trackers' weights
     */
    public void reconfigure(Options options, VrrpSettings settings, VrrpValidator validator,
                            VirtualAddresses newVips, List<InetAddress> unicastPeers, int totalPriority) {
        post(() -> {
            long now = System.nanoTime();
            this.o = options;
            this.validator = validator;
            if (unicastPeers != null) {
                host.setUnicastPeers(unicastPeers);
            }
            if (newVips != null) {
                swapVips(newVips, settings.garpMasterRepeat());
            }
            adverts = null; // interval, authentication, addresses or peers may have changed
            input(now, m -> m.reconfigure(now, settings, totalPriority));
            LOG.log(Level.INFO, tag() + " configuration changed on reload - applied in " + state.name() + " state");
        });
    }

    /** Instance thread: the VIPs of a reload; a MASTER's addresses follow the change, kept ones untouched. */
    private void swapVips(VirtualAddresses next, int garpRepeat) {
        VirtualAddresses prev = vips;
        List<io.javalived.config.model.VirtualIpAddress> gone = new ArrayList<>(prev.vips());
        gone.removeAll(next.vips());
        List<io.javalived.config.model.VirtualIpAddress> added = new ArrayList<>(next.vips());
        added.removeAll(prev.vips());
        if (state == VrrpState.MASTER) {
            if (!gone.isEmpty()) {
                prev.remove(gone);
                LOG.log(Level.INFO, tag() + " removing VIPs no longer configured: " + cidrs(gone));
            }
            if (!added.isEmpty()) {
                next.addAll(); // the kept ones are present already and left alone
                LOG.log(Level.INFO, tag() + " setting VIPs added on reload: " + cidrs(added));
                gratuitous(Math.max(1, garpRepeat), true, false); // keepalived announces every VIP again
            }
        }
        vips = next;
        advertAddresses = advertAddresses(next, host);
        prev.close();
    }

    private static String cidrs(List<io.javalived.config.model.VirtualIpAddress> l) {
        return String.join(", ", l.stream().map(io.javalived.config.model.VirtualIpAddress::cidr).toList());
    }

    /** The virtual_routes / virtual_rules, added with the VIPs and removed with them. Before {@link #start()}. */
    public void setRoutes(VirtualRoutes r) {
        this.routes = r;
    }

    /**
     * A reload changed the virtual_routes / virtual_rules: a MASTER removes those no longer configured and adds the
     * new ones (kept ones untouched). Any thread; returns at once.
     */
    public void reconfigureRoutes(VirtualRoutes next) {
        post(() -> {
            VirtualRoutes prev = routes;
            if (state == VrrpState.MASTER) {
                List<io.javalived.config.model.VirtualRule> goneRules = new ArrayList<>(prev.rules());
                goneRules.removeAll(next.rules());
                List<io.javalived.config.model.VirtualRoute> goneRoutes = new ArrayList<>(prev.routes());
                goneRoutes.removeAll(next.routes());
                prev.removeRules(goneRules);
                prev.removeRoutes(goneRoutes);
                List<io.javalived.config.model.VirtualRoute> newRoutes = new ArrayList<>(next.routes());
                newRoutes.removeAll(prev.routes());
                List<io.javalived.config.model.VirtualRule> newRules = new ArrayList<>(next.rules());
                newRules.removeAll(prev.rules());
                next.addRoutes(newRoutes);
                next.addRules(newRules);
            }
            routes = next;
        });
    }

    /** Trackers: base priority plus weights. Any thread. */
    public void setTotalPriority(int total) {
        post(() -> input(System.nanoTime(), m -> m.setEffectivePriority(System.nanoTime(), total)));
    }

    /** Trackers: a weight-0 tracker is down (or the interface is). Any thread. */
    public void setFault(boolean fault) {
        post(() -> input(System.nanoTime(), m -> m.setFault(System.nanoTime(), fault)));
    }

    private static final Runnable NOTHING = () -> { };

    /** Wakes the loop so it re-reads the machine's deadline (after a sync-group peer moved this member). */
    void wake() {
        offer(NOTHING);
    }

    private void post(Runnable r) {
        try {
            events.put(r);
            LockSupport.unpark(thread);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues an event without waiting and wakes the instance thread; false when the queue is full. */
    private boolean offer(Runnable r) {
        if (!events.offer(r)) {
            return false;
        }
        LockSupport.unpark(thread);
        return true;
    }

    /**
     * The next event, or null at {@code due} (NEVER: no deadline). The instance thread parks (LockSupport) instead of
     * waiting on the queue's condition, which allocates a node per wait: waiting costs no heap. Producers unpark
     * it after queueing ({@link #post}, {@link #offer}).
     */
    private Runnable await(long due) {
        while (true) {
            Runnable ev = events.poll();
            if (ev != null || !running) {
                return ev;
            }
            if (due == VrrpStateMachine.NEVER) {
                LockSupport.park(this);
            } else {
                long left = due - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                LockSupport.parkNanos(this, left);
            }
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return events.poll();
            }
        }
    }

    private String tag() {
        return "VRRP_Instance(" + name + ")";
    }

    // ---------------------------------------------------------------- the instance thread

    /** Real-time priority of the VRRP threads (SCHED_RR); 0 = normal scheduling. {@code -Djavalived.vrrp.rtPriority}. */
    static final int RT_PRIORITY = Integer.getInteger("javalived.vrrp.rtPriority", 10);

    static void realtime(String what) {
        if (RT_PRIORITY > 0) {
            String err = io.javalived.netlink.inet.Realtime.enterRoundRobin(RT_PRIORITY);
            if (err != null) {
                LOG.log(Level.DEBUG, what + ": cannot use real-time scheduling: " + err);
            }
        }
    }

    /**
     * How long before the master-down deadline the instance thread stops sleeping and polls instead
     * ({@code -Djavalived.vrrp.spinMicros}, default 300, 0 = never): a sleeping thread wakes some 0.1 ms late, more on
     * a busy host, and that lateness would delay the takeover. Costs at most this much CPU per takeover (a backup's
     * deadline only comes this close when the master has stopped sending).
     */
    static final long SPIN_NANOS = Long.getLong("javalived.vrrp.spinMicros", 300) * 1000L;

    /** Polls the queue until {@code due}; returns the first event, or null at the deadline. */
    private Runnable spinUntil(long due) {
        while (System.nanoTime() - due < 0) {
            Runnable ev = events.poll();
            if (ev != null) {
                return ev;
            }
            Thread.onSpinWait();
        }
        return null;
    }

    private void loop() {
        realtime(tag());
        try {
            for (Runnable r; (r = events.poll()) != null; ) {
                r.run(); // tracker state known before start (may mean FAULT from the start)
            }
            GroupRuntime g = group;
            if (g != null) {
                g.startOnce(System.nanoTime());
            } else {
                input(System.nanoTime(), m -> m.start(System.nanoTime()));
            }
            while (running) {
                long now = System.nanoTime();
                long due;
                boolean masterDown;
                synchronized (lock()) {
                    due = sm.nextDeadlineNanos();
                    masterDown = due != VrrpStateMachine.NEVER && due == sm.masterDownDeadlineNanos();
                }
                if (due != VrrpStateMachine.NEVER && due - now <= 0) {
                    timer(now);
                    continue;
                }
                Runnable ev;
                if (due == VrrpStateMachine.NEVER) {
                    ev = await(VrrpStateMachine.NEVER);
                } else if (masterDown && SPIN_NANOS > 0 && due - now <= SPIN_NANOS) {
                    ev = spinUntil(due);
                } else {
                    ev = await(masterDown && SPIN_NANOS > 0 ? due - SPIN_NANOS : due);
                }
                if (ev != null) {
                    ev.run();
                } else if (Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, tag() + " stopped on an internal error: " + e, e);
        } finally {
            stopped.countDown();
        }
    }

    /** The machine's timer (a lambda-free path: a takeover must not link a call site first). */
    private void timer(long now) {
        GroupRuntime g = group;
        if (g != null) {
            g.dispatch(now, this, m -> m.onTimer(now)); // a sync group's coordinator allocates
            return;
        }
        synchronized (ownLock) {
            perform(sm.onTimer(now));
        }
    }

    /** Applies one input (through the sync group when there is one) and performs the resulting actions. */
    private void input(long now, Function<VrrpStateMachine, List<VrrpAction>> fn) {
        GroupRuntime g = group;
        if (g != null) {
            g.dispatch(now, this, fn);
            return;
        }
        synchronized (ownLock) {
            perform(fn.apply(sm));
        }
    }

    /**
     * Performs the machine's actions in order. Only what goes on the wire or into the kernel happens in the first
     * pass; counters, timestamps, log lines and notify scripts come after the whole list, so nothing slow or cold (a
     * console write, a process start) stands between a takeover's advert, VIPs and first gratuitous ARP.
     */
    void perform(List<VrrpAction> actions) {
        VrrpState before = state;
        boolean firstAnnounced = false;
        boolean changed = false;
        for (int i = 0, n = actions.size(); i < n; i++) {
            VrrpAction a = actions.get(i);
            if (a instanceof VrrpAction.SendAdvert s) {
                sendAdvert(s.priority());
            } else if (a instanceof VrrpAction.AddVirtualIps) {
                if (i + 1 < n && actions.get(i + 1) instanceof VrrpAction.SendGratuitous gr
                        && gr.cause() == VrrpAction.GratuitousCause.BECOME_MASTER && gr.repeat() > 0) {
                    vips.addAllAndAnnounce(); // each VIP's first gratuitous ARP right after its address is added
                    firstAnnounced = true;
                } else {
                    vips.addAll();
                }
                if (!routes.isEmpty()) {
                    routes.addAll(); // keepalived: VIPs, then virtual routes, then virtual rules
                }
            } else if (a instanceof VrrpAction.RemoveVirtualIps) {
                if (!routes.isEmpty()) {
                    routes.removeAll(); // rules, then routes, then the VIPs
                }
                vips.removeAll();
            } else if (a instanceof VrrpAction.SendGratuitous gr) {
                boolean becomeMaster = gr.cause() == VrrpAction.GratuitousCause.BECOME_MASTER;
                gratuitous(gr.repeat(), becomeMaster, becomeMaster && firstAnnounced);
                firstAnnounced = false;
            } else if (a instanceof VrrpAction.StateChanged c) {
                state = c.to(); // before the repeated gratuitous ARPs run (they check it)
                changed = true;
            } else if (a instanceof VrrpAction.PriorityChanged p) {
                priority = p.to();
            }
        }
        for (int i = 0, n = actions.size(); i < n; i++) { // indexed: no iterator on the advert path
            VrrpAction a = actions.get(i);
            if (a instanceof VrrpAction.SendAdvert s) {
                counters.advertSent(s.priority());
            } else if (a instanceof VrrpAction.AddVirtualIps) {
                LOG.log(Level.INFO, tag() + " setting protocol VIPs.");
            } else if (a instanceof VrrpAction.RemoveVirtualIps) {
                LOG.log(Level.INFO, tag() + " removing protocol VIPs.");
            } else if (a instanceof VrrpAction.StateChanged c) {
                LOG.log(Level.INFO, c.logMessage());
                CounterUpdate.countTransition(c, counters);
                java.time.Instant now = java.time.Instant.now();
                stateSince = now;
                masterSince = c.to() == VrrpState.MASTER ? now : null;
            } else if (a instanceof VrrpAction.Log l) {
                LOG.log(l.level(), l.message());
            } else if (a instanceof VrrpAction.MasterReceivedLowerPriority) {
                notifier.stateChanged(Notifier.Kind.INSTANCE, name, "MASTER_RX_LOWER_PRI", priority,
                        o.notifyMasterRxLowerPri(), Optional.empty());
            } else if (a instanceof VrrpAction.PriorityChanged p && o.notifyPriorityChanges() && p.from() != 255) {
                // keepalived (vrrp_set_effective_priority): the state before the change names the event
                notifier.priorityChanged(name, before == VrrpState.MASTER, p.to());
            }
        }
        if (!changed) {
            return;
        }
        for (VrrpAction a : actions) {
            if (!(a instanceof VrrpAction.StateChanged c)) {
                continue;
            }
            Optional<NotifyScript> specific = switch (c.to()) {
                case MASTER -> o.notifyMaster();
                case BACKUP -> o.notifyBackup();
                case FAULT -> o.notifyFault();
                case STOP -> o.notifyStop();
                default -> Optional.empty();
            };
            if (c.to() == VrrpState.BACKUP) {
                vips.prepare(); // interface index / MAC may have changed since: ready for the next takeover
            }
            if (c.to() != VrrpState.INIT) {
                notifier.stateChanged(Notifier.Kind.INSTANCE, name, c.to().name(), priority, specific,
                        o.notifyAny());
                if (o.smtpAlert() && lastEmailState != c.to()) { // keepalived: one mail per state entered
                    lastEmailState = c.to();
                    notifier.mail(Notifier.Kind.INSTANCE, name, c.to().name());
                }
            }
            try {
                stateListener.accept(c.to());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, tag() + " state listener failed: " + e);
            }
        }
    }

    /**
     * One burst: the first announcement now when {@code firstNow} (already sent when {@code firstSent}), the rest
     * spaced by vrrp_garp_interval (≥ 1 ms).
     */
    private void gratuitous(int repeat, boolean firstNow, boolean firstSent) {
        int start = 0;
        if (firstNow && repeat > 0) {
            if (!firstSent) {
                vips.announceAll();
            }
            start = 1;
        }
        long spacing = Math.max(1_000_000L, o.garpIntervalNanos());
        for (int i = start; i < repeat; i++) {
            garpTimer.schedule(() -> {
                if (state == VrrpState.MASTER) {
                    vips.announceAll();
                }
            }, (i - start + (firstNow ? 1 : 0)) * spacing, TimeUnit.NANOSECONDS);
        }
    }

    /** The encoded adverts of one priority (one per unicast peer when the checksum covers the destination). */
    private record Adverts(int priority, byte[][] messages) {}

    /** Adverts depend only on the priority: encoded once per priority, not at every send (nor at a takeover). */
    private volatile Adverts adverts;

    private Adverts adverts(int prio) {
        Adverts a = adverts;
        if (a != null && a.priority() == prio) {
            return a;
        }
        VrrpPacket p = o.version() == 2
                ? VrrpPacket.v2(o.vrid(), prio, o.authType(), o.authData(),
                        (int) Math.max(1, o.advertIntervalNanos() / 1_000_000_000L), advertAddresses)
                : VrrpPacket.v3(o.vrid(), prio, (int) Math.max(1, o.advertIntervalNanos() / 10_000_000L),
                        advertAddresses);
        byte[][] msgs;
        if (host.ipv6()) {
            msgs = new byte[][] {p.encodeZeroChecksum()}; // the kernel fills the checksum (IPV6_CHECKSUM)
        } else if (perPeerChecksum()) {
            List<InetAddress> peers = host.unicastPeers();
            msgs = new byte[peers.size()][];
            for (int i = 0; i < msgs.length; i++) {
                msgs[i] = p.encode(host.source(), peers.get(i), false); // pseudo-header with this destination
            }
        } else {
            msgs = new byte[][] {p.encode(host.source(), host.multicastGroup(), o.v3ChecksumAsV2())};
        }
        a = new Adverts(prio, msgs);
        adverts = a;
        return a;
    }

    private boolean perPeerChecksum() {
        return !host.ipv6() && o.version() == 3 && !o.v3ChecksumAsV2() && host.unicast();
    }

    private void sendAdvert(int prio) {
        byte[][] msgs = adverts(prio).messages();
        if (perPeerChecksum()) {
            List<InetAddress> peers = host.unicastPeers();
            for (int i = 0; i < msgs.length; i++) {
                host.sendOne(msgs[i], msgs[i].length, peers.get(i));
            }
        } else {
            host.send(msgs[0], msgs[0].length);
        }
    }

    // ---------------------------------------------------------------- receive thread

    /**
     * The last accepted IPv4 advert (receive thread): its bytes (the IP header without identification and checksum,
     * then the VRRP message), what it was decoded to and the inputs of its verdict. A master sends the same advert
     * every interval; a repeat is recognised by its bytes and handed on as the same {@link PeerAdvert}, so the
     * steady state decodes nothing and allocates nothing.
     */
    private final byte[] lastBytes = new byte[RawIpSocket.DATA_LEN];
    private int lastLength = -1;
    private PeerAdvert lastPeer;
    private Verdict lastVerdict;
    private VrrpValidator lastValidator;
    private InetAddress lastMaster;
    /** The one event that hands a repeated advert to the instance thread (queued at most once). */
    private final RepeatAdvert repeat = new RepeatAdvert();

    private final class RepeatAdvert implements Runnable {
        final java.util.concurrent.atomic.AtomicBoolean queued = new java.util.concurrent.atomic.AtomicBoolean();
        volatile long rxNanos;
        volatile PeerAdvert advert;

        @Override
        public void run() {
            queued.set(false);
            PeerAdvert a = advert;
            advertInput(rxNanos, a);
        }
    }

    /** Instance thread: an accepted advert into the machine (a lambda only for a sync group's coordinator). */
    private void advertInput(long rxNanos, PeerAdvert pa) {
        GroupRuntime g = group;
        if (g != null) {
            g.dispatch(rxNanos, this, m -> m.onAdvert(rxNanos, pa));
            return;
        }
        synchronized (ownLock) {
            perform(sm.onAdvert(rxNanos, pa));
        }
    }

    /** Whether d is the last accepted advert again (same bytes but IP identification and checksum). */
    private boolean repeated(RawIpSocket.Datagram d) {
        int n = d.length;
        if (n != lastLength || n < 20 || lastPeer == null || validator != lastValidator
                || !java.util.Objects.equals(sm.lastMasterAddress(), lastMaster)) {
            return false;
        }
        byte[] a = d.data;
        byte[] b = lastBytes;
        return java.util.Arrays.equals(a, 0, 4, b, 0, 4) && java.util.Arrays.equals(a, 6, 10, b, 6, 10)
                && java.util.Arrays.equals(a, 12, n, b, 12, n);
    }

    private void onDatagram(RawIpSocket.Datagram d) {
        long rxNanos = System.nanoTime();
        if (!host.ipv6() && repeated(d)) {
            counters.record(lastVerdict);
            repeat.advert = lastPeer; // queued already: it hands on the latest advert and arrival
            repeat.rxNanos = rxNanos;
            if (!repeat.queued.getAndSet(true)) {
                if (!offer(repeat)) {
                    repeat.queued.set(false);
                    LOG.log(Level.WARNING, tag() + " receive queue full - advert dropped");
                }
            }
            return;
        }
        lastLength = -1;
        DecodeResult r = host.ipv6()
                ? AdvertDecoder.decodeIpv6(d.data, 0, d.length, d.source,
                        d.destination == null ? host.multicastGroup() : d.destination, d.hopLimit)
                : AdvertDecoder.decodeIpv4(d.data, 0, d.length);
        if (r instanceof DecodeResult.Dropped dr) {
            counters.drop(dr.reason());
            LOG.log(Level.DEBUG, tag() + " " + dr.message());
            return;
        }
        ReceivedAdvert adv = ((DecodeResult.Ok) r).advert();
        if (adv.packet().vrid() != o.vrid()) {
            return; // another virtual router on the same link
        }
        if (adv.source().equals(host.source())) {
            return; // our own advert
        }
        Verdict v = validator.validate(adv, sm.lastMasterAddress());
        counters.record(v);
        if (!v.accepted()) {
            for (String line : v.logLines()) {
                LOG.log(Level.INFO, tag() + " " + stripPrefix(line));
            }
            return;
        }
        PeerAdvert pa = PeerAdvert.of(adv);
        if (!host.ipv6() && v.logLines().isEmpty() && d.length >= 20) {
            System.arraycopy(d.data, 0, lastBytes, 0, d.length);
            lastLength = d.length;
            lastPeer = pa;
            lastVerdict = v;
            lastValidator = validator;
            lastMaster = sm.lastMasterAddress();
        }
        // the master-down timer runs from the advert's arrival, not from when the instance thread gets to it
        if (!offer(() -> advertInput(rxNanos, pa))) {
            LOG.log(Level.WARNING, tag() + " receive queue full - advert from " + adv.source().getHostAddress()
                    + " dropped");
        }
    }

    private String stripPrefix(String line) {
        String p = "(" + name + ") ";
        return line.startsWith(p) ? line.substring(p.length()) : line;
    }

    static Map<String, Long> snapshot(VrrpInstance i) {
        return i.counters.snapshot();
    }
}
