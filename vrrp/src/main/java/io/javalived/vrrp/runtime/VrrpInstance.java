package io.javalived.vrrp.runtime;

import io.javalived.config.model.NotifyScript;
import io.javalived.netlink.inet.RawIpSocket;
import io.javalived.vrrp.net.VirtualAddresses;
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
                          Optional<NotifyScript> notifyStop, Optional<NotifyScript> notifyMasterRxLowerPri) {}

    private final String name;
    private final Options o;
    private final VrrpStateMachine sm;
    private final VrrpValidator validator;
    private final VrrpHost host;
    private final VirtualAddresses vips;
    private final Notifier notifier;
    private final ScheduledExecutorService garpTimer;
    private final VrrpCounters counters = new VrrpCounters();
    private final BlockingQueue<Runnable> events = new ArrayBlockingQueue<>(1024);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<InetAddress> advertAddresses;
    private final Object ownLock = new Object();
    private volatile GroupRuntime group;
    private volatile VrrpState state = VrrpState.INIT;
    private volatile int priority;
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
        this.advertAddresses = vips.addressList().stream().filter(a -> (a instanceof Inet6Address) == host.ipv6())
                .limit(VrrpPacket.MAX_ADDRESSES).toList();
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
        thread.start();
        host.startReceiving(this::onDatagram);
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

    /** Trackers: base priority plus weights. Any thread. */
    public void setTotalPriority(int total) {
        post(() -> input(System.nanoTime(), m -> m.setEffectivePriority(System.nanoTime(), total)));
    }

    /** Trackers: a weight-0 tracker is down (or the interface is). Any thread. */
    public void setFault(boolean fault) {
        post(() -> input(System.nanoTime(), m -> m.setFault(System.nanoTime(), fault)));
    }

    /** Wakes the loop so it re-reads the machine's deadline (after a sync-group peer moved this member). */
    void wake() {
        events.offer(() -> { });
    }

    private void post(Runnable r) {
        try {
            events.put(r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                synchronized (lock()) {
                    due = sm.nextDeadlineNanos();
                }
                if (due != VrrpStateMachine.NEVER && due - now <= 0) {
                    input(now, m -> m.onTimer(now));
                    continue;
                }
                Runnable ev = due == VrrpStateMachine.NEVER ? events.take()
                        : events.poll(due - now, TimeUnit.NANOSECONDS);
                if (ev != null) {
                    ev.run();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, tag() + " stopped on an internal error: " + e, e);
        } finally {
            stopped.countDown();
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
     * Performs the machine's actions in order; log lines and notify scripts after the whole list, so nothing slow
     * (a console write, a process start) stands between a takeover's advert, VIPs and first gratuitous ARP.
     */
    void perform(List<VrrpAction> actions) {
        List<VrrpAction.StateChanged> changes = new ArrayList<>(1);
        List<Runnable> logs = new ArrayList<>(4);
        for (VrrpAction a : actions) {
            if (a instanceof VrrpAction.SendAdvert s) {
                sendAdvert(s.priority());
                counters.advertSent(s.priority());
            } else if (a instanceof VrrpAction.AddVirtualIps) {
                vips.addAll();
                logs.add(() -> LOG.log(Level.INFO, tag() + " setting protocol VIPs."));
            } else if (a instanceof VrrpAction.RemoveVirtualIps) {
                vips.removeAll();
                logs.add(() -> LOG.log(Level.INFO, tag() + " removing protocol VIPs."));
            } else if (a instanceof VrrpAction.SendGratuitous gr) {
                gratuitous(gr.repeat(), gr.cause() == VrrpAction.GratuitousCause.BECOME_MASTER);
            } else if (a instanceof VrrpAction.StateChanged c) {
                logs.add(() -> LOG.log(Level.INFO, c.logMessage()));
                CounterUpdate.countTransition(c, counters);
                state = c.to();
                java.time.Instant now = java.time.Instant.now();
                stateSince = now;
                masterSince = c.to() == VrrpState.MASTER ? now : null;
                changes.add(c);
            } else if (a instanceof VrrpAction.Log l) {
                logs.add(() -> LOG.log(l.level(), l.message()));
            } else if (a instanceof VrrpAction.PriorityChanged p) {
                priority = p.to();
            } else if (a instanceof VrrpAction.MasterReceivedLowerPriority lp) {
                o.notifyMasterRxLowerPri().ifPresent(s -> notifier.stateChanged(Notifier.Kind.INSTANCE, name,
                        "MASTER_RX_LOWER_PRI", priority, Optional.of(s), Optional.empty()));
            }
        }
        logs.forEach(Runnable::run);
        for (VrrpAction.StateChanged c : changes) {
            Optional<NotifyScript> specific = switch (c.to()) {
                case MASTER -> o.notifyMaster();
                case BACKUP -> o.notifyBackup();
                case FAULT -> o.notifyFault();
                case STOP -> o.notifyStop();
                default -> Optional.empty();
            };
            if (c.to() != VrrpState.INIT) {
                notifier.stateChanged(Notifier.Kind.INSTANCE, name, c.to().name(), priority, specific,
                        o.notifyAny());
            }
            try {
                stateListener.accept(c.to());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, tag() + " state listener failed: " + e);
            }
        }
    }

    /** One burst: the first announcement now when {@code now}, the rest spaced by vrrp_garp_interval (≥ 1 ms). */
    private void gratuitous(int repeat, boolean firstNow) {
        int start = 0;
        if (firstNow && repeat > 0) {
            vips.announceAll();
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

    private void sendAdvert(int prio) {
        VrrpPacket p = o.version() == 2
                ? VrrpPacket.v2(o.vrid(), prio, o.authType(), o.authData(),
                        (int) Math.max(1, o.advertIntervalNanos() / 1_000_000_000L), advertAddresses)
                : VrrpPacket.v3(o.vrid(), prio, (int) Math.max(1, o.advertIntervalNanos() / 10_000_000L),
                        advertAddresses);
        if (host.ipv6()) {
            byte[] msg = p.encodeZeroChecksum(); // the kernel fills the checksum (IPV6_CHECKSUM)
            host.send(msg, msg.length);
        } else if (o.version() == 3 && !o.v3ChecksumAsV2() && host.unicast()) {
            for (InetAddress peer : host.unicastPeers()) {
                byte[] m = p.encode(host.source(), peer, false); // pseudo-header with this destination
                host.sendOne(m, m.length, peer);
            }
        } else {
            byte[] msg = p.encode(host.source(), host.multicastGroup(), o.v3ChecksumAsV2());
            host.send(msg, msg.length);
        }
    }

    // ---------------------------------------------------------------- receive thread

    private boolean rxRealtime;

    private void onDatagram(RawIpSocket.Datagram d) {
        if (!rxRealtime) {
            rxRealtime = true;
            realtime(tag() + " receive thread");
        }
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
        if (!events.offer(() -> input(System.nanoTime(), m -> m.onAdvert(System.nanoTime(), pa)))) {
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
