package io.javalived.vrrp.runtime;

import io.javalived.config.model.Authentication;
import io.javalived.config.model.NotifyScript;
import io.javalived.netlink.inet.RawIpSocket;
import io.javalived.vrrp.net.VirtualAddresses;
import io.javalived.vrrp.net.VrrpHost;
import io.javalived.vrrp.notify.Notifier;
import io.javalived.vrrp.packet.AdvertDecoder;
import io.javalived.vrrp.packet.DecodeResult;
import io.javalived.vrrp.packet.ReceivedAdvert;
import io.javalived.vrrp.packet.VrrpPacket;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One running VRRP instance: owns its {@link VrrpHost} sockets and {@link VirtualAddresses}, and runs RFC 5798
 * with keepalived's semantics on a dedicated maximum-priority thread. Received adverts arrive from the receive
 * thread through a bounded queue; the loop always serves a due advert timer before any queued packet, so no
 * packet delays the master's own adverts.
 */
public final class VrrpInstance {
    private static final Logger LOG = System.getLogger("io.javalived.vrrp");

    public enum State { INIT, BACKUP, MASTER, FAULT, STOP }

    /** Static settings of the instance, taken from the configuration. */
    public record Settings(String name, int vrid, int version, int basePriority, long advertIntervalNanos,
                           boolean preempt, long preemptDelayNanos, Optional<Authentication> auth,
                           boolean v3ChecksumAsV2, boolean initialMaster, long garpDelayNanos, int garpRepeat,
                           long garpRefreshNanos, int garpRefreshRepeat, Optional<NotifyScript> notifyAny,
                           Optional<NotifyScript> notifyMaster, Optional<NotifyScript> notifyBackup,
                           Optional<NotifyScript> notifyFault, Optional<NotifyScript> notifyStop) {}

    private final Settings s;
    private final VrrpHost host;
    private final VirtualAddresses vips;
    private final Notifier notifier;
    private final ScheduledExecutorService garpTimer;
    private final InstanceCounters counters = new InstanceCounters();
    private final BlockingQueue<Runnable> events = new ArrayBlockingQueue<>(1024);
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final byte[] authData;
    private final InetAddress mcastOrNull;
    /** Group coordinator (sync group), or null. */
    private volatile SyncGroup group;
    private volatile Consumer<State> stateListener = st -> { };

    // state below is touched only on the instance thread
    private volatile State state = State.INIT;
    private volatile int priority;
    private int trackDelta;
    private int faults;
    private long masterAdvertNanos;
    private long advertDue;
    private long masterDownDue;
    private long preemptDeadline;
    private boolean running = true;
    private List<InetAddress> advertAddresses;

    public VrrpInstance(Settings settings, VrrpHost host, VirtualAddresses vips, Notifier notifier,
                        ScheduledExecutorService garpTimer) {
        this.s = settings;
        this.host = host;
        this.vips = vips;
        this.notifier = notifier;
        this.garpTimer = garpTimer;
        this.priority = settings.basePriority();
        this.masterAdvertNanos = settings.advertIntervalNanos();
        this.authData = settings.auth().filter(a -> a.type() == Authentication.Type.PASS)
                .map(a -> VrrpPacket.passData(a.password())).orElse(new byte[VrrpPacket.AUTH_DATA_LEN]);
        this.mcastOrNull = null;
        this.advertAddresses = vips.addressList().stream()
                .filter(a -> (a instanceof java.net.Inet6Address) == host.ipv6()).toList();
        this.thread = new Thread(this::loop, "vrrp-" + settings.name());
        this.thread.setPriority(Thread.MAX_PRIORITY);
    }

    public String name() {
        return s.name();
    }

    public State state() {
        return state;
    }

    public int priority() {
        return priority;
    }

    public InstanceCounters counters() {
        return counters;
    }

    void joinGroup(SyncGroup g) {
        this.group = g;
    }

    public void onStateChange(Consumer<State> l) {
        this.stateListener = l;
    }

    /** Starts the instance thread and the receive thread. */
    public void start() {
        thread.start();
        host.startReceiving(this::onDatagram);
    }

    /** Stops: a master sends priority 0 and releases its VIPs; notify_stop runs. Waits up to {@code millis}. */
    public void stop(long millis) {
        post(() -> {
            leave(State.STOP, "Stopping");
            running = false;
        }, true);
        try {
            stopped.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        host.close();
        vips.close();
    }

    /** A tracker changed the priority offset (sum of weights) — called from any thread. */
    public void setTrackDelta(int delta) {
        post(() -> {
            trackDelta = delta;
            recomputePriority();
        }, true);
    }

    /** Trackers (weight 0, or a down interface) put the instance in / out of FAULT. */
    public void setFault(boolean fault) {
        post(() -> {
            faults = fault ? 1 : 0;
            if (faults > 0 && state != State.FAULT && state != State.STOP) {
                leave(State.FAULT, "Entering FAULT STATE");
            } else if (faults == 0 && state == State.FAULT) {
                LOG.log(Level.INFO, tag() + " Entering BACKUP STATE (fault cleared)");
                becomeBackup(System.nanoTime());
            }
        }, true);
    }

    /** For sync groups: force this member to {@code target} (MASTER, BACKUP or FAULT). */
    void forceState(State target) {
        post(() -> {
            long now = System.nanoTime();
            if (state == target || state == State.STOP || (state == State.FAULT && faults > 0)) {
                return;
            }
            switch (target) {
                case MASTER -> becomeMaster(now);
                case BACKUP -> {
                    if (state == State.MASTER) {
                        releaseMaster();
                    }
                    becomeBackup(now);
                }
                case FAULT -> leave(State.FAULT, "Entering FAULT STATE");
                default -> { }
            }
        }, true);
    }

    private void post(Runnable r, boolean mustDeliver) {
        if (!events.offer(r) && mustDeliver) {
            try {
                events.put(r);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String tag() {
        return "VRRP_Instance(" + s.name() + ")";
    }

    // ---------------------------------------------------------------- the instance thread

    private void loop() {
        try {
            for (Runnable r; (r = events.poll()) != null; ) {
                r.run(); // initial tracker state (may put us in FAULT)
            }
            long now = System.nanoTime();
            if (state == State.INIT) {
                if (s.basePriority() == 255) {
                    becomeMaster(now);
                } else {
                    becomeBackup(now);
                }
            }
            while (running) {
                now = System.nanoTime();
                if (state == State.MASTER && now - advertDue >= 0) {
                    sendAdvert(priority);
                    advertDue += s.advertIntervalNanos();
                    if (now - advertDue >= 0) {
                        advertDue = now + s.advertIntervalNanos(); // we were late; do not burst
                    }
                    continue;
                }
                if (state == State.BACKUP && now - masterDownDue >= 0) {
                    becomeMaster(now);
                    continue;
                }
                long wait = Long.MAX_VALUE;
                if (state == State.MASTER) {
                    wait = advertDue - now;
                } else if (state == State.BACKUP) {
                    wait = masterDownDue - now;
                }
                Runnable ev = wait == Long.MAX_VALUE ? events.take() : events.poll(Math.max(0, wait),
                        TimeUnit.NANOSECONDS);
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

    private long skewNanos() {
        if (s.version() == 2) {
            return (256L - priority) * 1_000_000_000L / 256;
        }
        return (256L - priority) * masterAdvertNanos / 256;
    }

    private long masterDownNanos() {
        return 3 * masterAdvertNanos + skewNanos();
    }

    private void becomeBackup(long now) {
        State before = state;
        state = State.BACKUP;
        masterDownDue = now + masterDownNanos();
        preemptDeadline = 0;
        if (before != State.BACKUP) {
            LOG.log(Level.INFO, tag() + " Entering BACKUP STATE");
            changed(State.BACKUP, s.notifyBackup());
        }
    }

    private void becomeMaster(long now) {
        if (state != State.MASTER) {
            LOG.log(Level.INFO, tag() + " Transition to MASTER STATE");
        }
        state = State.MASTER;
        sendAdvert(priority);
        advertDue = System.nanoTime() + s.advertIntervalNanos();
        vips.addAll();
        vips.announceAll();
        counters.inc("become_master");
        LOG.log(Level.INFO, tag() + " Entering MASTER STATE");
        LOG.log(Level.INFO, tag() + " setting protocol VIPs.");
        scheduleGarps();
        changed(State.MASTER, s.notifyMaster());
    }

    private void scheduleGarps() {
        int repeat = Math.max(1, s.garpRepeat());
        for (int i = 1; i < repeat; i++) {
            garpTimer.schedule(this::garpIfMaster, i, TimeUnit.MILLISECONDS);
        }
        if (s.garpDelayNanos() > 0) {
            for (int i = 0; i < repeat; i++) {
                garpTimer.schedule(this::garpIfMaster, s.garpDelayNanos() + i * 1_000_000L, TimeUnit.NANOSECONDS);
            }
        }
        if (s.garpRefreshNanos() > 0) {
            garpTimer.schedule(this::refresh, s.garpRefreshNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private void refresh() {
        if (state != State.MASTER) {
            return;
        }
        for (int i = 0; i < Math.max(1, s.garpRefreshRepeat()); i++) {
            vips.announceAll();
        }
        garpTimer.schedule(this::refresh, s.garpRefreshNanos(), TimeUnit.NANOSECONDS);
    }

    private void garpIfMaster() {
        if (state == State.MASTER) {
            vips.announceAll();
        }
    }

    /** Leaves MASTER/BACKUP for FAULT or STOP: a master sends priority 0 and removes its VIPs. */
    private void leave(State target, String message) {
        if (state == State.MASTER) {
            releaseMaster();
        }
        state = target;
        LOG.log(Level.INFO, tag() + " " + message);
        changed(target, target == State.FAULT ? s.notifyFault() : s.notifyStop());
    }

    private void releaseMaster() {
        sendAdvert(0);
        counters.inc("pri_zero_sent");
        vips.removeAll();
        counters.inc("release_master");
        LOG.log(Level.INFO, tag() + " removing protocol VIPs.");
    }

    private void changed(State st, Optional<NotifyScript> specific) {
        notifier.stateChanged(Notifier.Kind.INSTANCE, s.name(), st.name(), priority, specific, s.notifyAny());
        stateListener.accept(st);
        SyncGroup g = group;
        if (g != null) {
            g.memberChanged(this, st);
        }
    }

    private void recomputePriority() {
        int p = s.basePriority() == 255 ? 255 : Math.max(1, Math.min(254, s.basePriority() + trackDelta));
        if (p != priority) {
            LOG.log(Level.INFO, tag() + " Changing effective priority from " + priority + " to " + p);
            priority = p;
        }
    }

    private void sendAdvert(int prio) {
        VrrpPacket p = s.version() == 2
                ? VrrpPacket.v2(s.vrid(), prio, s.auth().isPresent() && s.auth().get().type()
                        == Authentication.Type.PASS ? VrrpPacket.AUTH_PASS : VrrpPacket.AUTH_NONE, authData,
                        (int) Math.max(1, s.advertIntervalNanos() / 1_000_000_000L), advertAddresses)
                : VrrpPacket.v3(s.vrid(), prio, (int) Math.max(1, s.advertIntervalNanos() / 10_000_000L),
                        advertAddresses);
        byte[] msg;
        if (host.ipv6()) {
            msg = p.encodeZeroChecksum(); // kernel fills the checksum (IPV6_CHECKSUM)
            host.send(msg, msg.length);
        } else if (s.version() == 3 && !s.v3ChecksumAsV2() && host.unicast()) {
            for (InetAddress peer : host.unicastPeers()) {
                byte[] m = p.encode(host.source(), peer, false);
                host.sendOne(m, m.length, peer);
            }
        } else {
            msg = p.encode(host.source(), host.multicastGroup(), s.v3ChecksumAsV2());
            host.send(msg, msg.length);
        }
        counters.inc("advert_sent");
    }

    // ---------------------------------------------------------------- receive path (rx thread → instance thread)

    private void onDatagram(RawIpSocket.Datagram d) {
        DecodeResult r = host.ipv6()
                ? AdvertDecoder.decodeIpv6(d.data, 0, d.length, d.source, d.destination == null
                        ? host.multicastGroup() : d.destination, d.hopLimit)
                : AdvertDecoder.decodeIpv4(d.data, 0, d.length);
        if (r instanceof DecodeResult.Dropped dr) {
            counters.inc(dr.reason().counterName());
            return;
        }
        ReceivedAdvert adv = ((DecodeResult.Ok) r).advert();
        VrrpPacket p = adv.packet();
        if (p.vrid() != s.vrid()) {
            return; // another virtual router
        }
        if (adv.source().equals(host.source())) {
            return; // our own
        }
        String reject = validate(adv);
        if (reject != null) {
            return;
        }
        counters.inc("advert_rcvd");
        if (p.priority() == 0) {
            counters.inc("pri_zero_rcvd");
        }
        post(() -> onAdvert(adv), false);
    }

    /** keepalived's receive checks; returns null when accepted, else the counter bumped. */
    private String validate(ReceivedAdvert adv) {
        VrrpPacket p = adv.packet();
        String bad = null;
        if (p.version() != s.version()) {
            bad = "version_err";
        } else if (p.type() != VrrpPacket.TYPE_ADVERTISEMENT) {
            bad = "invalid_type_rcvd";
        } else if (!host.unicast() && adv.ttl() != 255 && adv.ttl() != -1) {
            bad = "ip_ttl_err";
        } else if (!host.ipv6() && !adv.checksumValid(s.v3ChecksumAsV2())) {
            bad = "checksum_err";
        } else if (s.version() == 2) {
            int want = s.auth().isPresent() && s.auth().get().type() == Authentication.Type.PASS
                    ? VrrpPacket.AUTH_PASS : VrrpPacket.AUTH_NONE;
            if (p.authType() > VrrpPacket.AUTH_AH) {
                bad = "invalid_authtype";
            } else if (p.authType() != want) {
                bad = "authtype_mismatch";
            } else if (want == VrrpPacket.AUTH_PASS && !Arrays.equals(p.authData(), authData)) {
                bad = "auth_failure";
            } else if (p.advertIntervalNanos() != s.advertIntervalNanos()) {
                bad = "advert_interval_err";
            }
        }
        if (bad != null) {
            counters.inc(bad);
            LOG.log(Level.DEBUG, tag() + " dropped advert from " + adv.source().getHostAddress() + ": " + bad);
        }
        return bad;
    }

    private void onAdvert(ReceivedAdvert adv) {
        long now = System.nanoTime();
        VrrpPacket p = adv.packet();
        switch (state) {
            case BACKUP -> {
                if (p.priority() == 0) {
                    masterDownDue = now + skewNanos();
                    return;
                }
                if (s.version() == 3) {
                    masterAdvertNanos = Math.max(10_000_000L, p.advertIntervalNanos());
                }
                boolean higherOrEqual = p.priority() > priority
                        || (p.priority() == priority && !weWinTie(adv.source()));
                if (!s.preempt() || higherOrEqual) {
                    masterDownDue = now + masterDownNanos();
                    preemptDeadline = 0;
                } else if (s.preemptDelayNanos() > 0) {
                    if (preemptDeadline == 0) {
                        preemptDeadline = now + s.preemptDelayNanos();
                        LOG.log(Level.INFO, tag() + " received lower priority advert, preempt in "
                                + s.preemptDelayNanos() / 1_000_000 + " ms");
                    }
                    if (now - preemptDeadline < 0) {
                        masterDownDue = now + masterDownNanos();
                    }
                }
                // lower priority and preempt: let the master-down timer run out
            }
            case MASTER -> {
                if (p.priority() == 0) {
                    sendAdvert(priority);
                    advertDue = now + s.advertIntervalNanos();
                    return;
                }
                if (p.priority() > priority || (p.priority() == priority && !weWinTie(adv.source()))) {
                    LOG.log(Level.INFO, tag() + " Received advert from " + adv.source().getHostAddress()
                            + " with higher priority " + p.priority() + ", ours " + priority);
                    releaseMaster();
                    if (s.version() == 3) {
                        masterAdvertNanos = Math.max(10_000_000L, p.advertIntervalNanos());
                    }
                    becomeBackup(now);
                }
            }
            default -> { }
        }
    }

    /** Equal priorities: the higher primary (source) address wins. */
    private boolean weWinTie(InetAddress other) {
        return new BigInteger(1, host.source().getAddress()).compareTo(new BigInteger(1, other.getAddress())) > 0;
    }
}
