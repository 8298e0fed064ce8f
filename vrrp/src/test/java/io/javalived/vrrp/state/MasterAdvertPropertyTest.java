package io.javalived.vrrp.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: no input can delay a master's own adverts. Random schedules of foreign, hostile and malformed-looking
 * adverts (every priority, every source incl. our own and other families, every interval), priority changes and
 * spurious early timer calls; the driver calls onTimer exactly at nextDeadlineNanos(). Checked for many seeds,
 * v2 and v3, several intervals.
 */
class MasterAdvertPropertyTest {
    static final long MS = 1_000_000L;

    static InetAddress ip(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress randomSource(SplittableRandom r, InetAddress me) {
        switch (r.nextInt(4)) {
            case 0:
                return me;
            case 1: {
                byte[] b = new byte[16];
                r.nextBytes(b);
                return ip(b);
            }
            default: {
                byte[] b = me.getAddress().clone();
                b[3] = (byte) r.nextInt(256);
                return ip(b);
            }
        }
    }

    /** Adverts that must never unseat the master: lower priority, 0, or equal from a lower/own/other-family address. */
    @Test
    void nonWinningInputsNeverDelayOrStopTheMastersAdverts() {
        for (int seed = 0; seed < 300; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int version = r.nextBoolean() ? 2 : 3;
            long interval = version == 2 ? (1 + r.nextInt(3)) * 1000 * MS : (1 + r.nextInt(300)) * 10 * MS;
            int prio = r.nextBoolean() ? 255 : 2 + r.nextInt(253);
            InetAddress me = ip(new byte[] {10, 0, 0, (byte) 128});
            VrrpSettings s = VrrpSettings.of("VI_P", version, prio, interval, me).withInitialMaster(prio == 255)
                    .withAdvertOptions(r.nextBoolean(), r.nextBoolean());
            VrrpStateMachine m = new VrrpStateMachine(s);
            long now = r.nextLong(0, 1L << 50);
            m.start(now);
            if (m.state() != VrrpState.MASTER) {
                m.onTimer(m.nextDeadlineNanos());
            }
            assertThat(m.state()).isEqualTo(VrrpState.MASTER);
            long t0 = m.advertDeadlineNanos() - interval; // became master here
            List<Long> periodic = new ArrayList<>();
            long extraInThisInterval = 0;
            now = t0;
            for (int ev = 0; ev < 600; ev++) {
                long at = now + r.nextLong(0, interval / 2 + 1);
                // drain timers up to the event
                while (m.nextDeadlineNanos() <= at) {
                    long d = m.nextDeadlineNanos();
                    for (VrrpAction a : m.onTimer(d)) {
                        if (a instanceof VrrpAction.SendAdvert sa) {
                            periodic.add(d);
                            extraInThisInterval = 0;
                            assertThat(sa.priority()).isEqualTo(m.effectivePriority());
                        }
                    }
                }
                now = at;
                List<VrrpAction> out;
                int kind = r.nextInt(10);
                if (kind < 7) {
                    int eff = m.effectivePriority();
                    int p;
                    InetAddress src = randomSource(r, me);
                    int pick = r.nextInt(3);
                    if (pick == 0) {
                        p = 0;
                    } else if (pick == 1 || eff == 1) {
                        p = eff == 1 ? 0 : r.nextInt(1, eff);
                    } else if (eff == 255) {
                        p = r.nextInt(1, 255); // a second "owner" is a conflict keepalived resolves by yielding
                    } else {
                        p = eff; // equal: only from an address not higher than ours
                        if (VrrpStateMachine.compareAddresses(src, me) > 0) {
                            src = me;
                        }
                    }
                    out = m.onAdvert(now, new PeerAdvert(src, p, r.nextLong(0, 41 * 1000 * MS)));
                } else if (kind < 9) {
                    out = m.onTimer(now); // spurious early wakeup
                } else {
                    // adverts are generated relative to the current priority, so any change is allowed
                    out = m.setEffectivePriority(now, r.nextInt(-10, 300));
                }
                for (VrrpAction a : out) {
                    assertThat(a).isNotInstanceOf(VrrpAction.StateChanged.class);
                    if (a instanceof VrrpAction.SendAdvert) {
                        if (kind < 7) {
                            extraInThisInterval++;
                        } else {
                            periodic.add(now);
                            extraInThisInterval = 0;
                        }
                    }
                }
                assertThat(extraInThisInterval).as("seed %d: extra adverts per interval", seed).isLessThanOrEqualTo(1);
                assertThat(m.state()).isEqualTo(VrrpState.MASTER);
            }
            assertThat(periodic).as("seed %d", seed).isNotEmpty();
            for (int k = 0; k < periodic.size(); k++) {
                assertThat(periodic.get(k)).as("seed %d advert %d", seed, k).isEqualTo(t0 + (k + 1) * interval);
            }
        }
    }

    /**
     * Whatever arrives (including winning adverts, faults, recoveries), while the machine is MASTER its next
     * advert is due exactly one interval after its previous one.
     */
    @Test
    void whileMasterTheNextAdvertIsAlwaysOneIntervalAfterTheLast() {
        for (int seed = 1000; seed < 1200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            int version = r.nextBoolean() ? 2 : 3;
            long interval = version == 2 ? 1000 * MS : (1 + r.nextInt(100)) * 10 * MS;
            InetAddress me = ip(new byte[] {10, 0, 0, 50});
            VrrpStateMachine m = new VrrpStateMachine(VrrpSettings.of("VI_Q", version, 1 + r.nextInt(254), interval,
                    me).withPreempt(r.nextBoolean(), r.nextBoolean() ? 0 : 2000 * MS));
            long now = 0;
            m.start(now);
            long lastAdvert = Long.MIN_VALUE;
            for (int ev = 0; ev < 1500; ev++) {
                long at = now + r.nextLong(0, interval);
                while (m.nextDeadlineNanos() <= at) {
                    long d = m.nextDeadlineNanos();
                    VrrpState before = m.state();
                    for (VrrpAction a : m.onTimer(d)) {
                        if (a instanceof VrrpAction.SendAdvert && (before == VrrpState.MASTER
                                || m.state() == VrrpState.MASTER)) {
                            lastAdvert = d;
                        }
                    }
                }
                now = at;
                VrrpState before = m.state();
                List<VrrpAction> out = switch (r.nextInt(12)) {
                    case 0 -> m.setFault(now, r.nextInt(4) == 0);
                    case 1 -> m.setEffectivePriority(now, r.nextInt(0, 256));
                    default -> m.onAdvert(now, new PeerAdvert(randomSource(r, me), r.nextInt(256),
                            r.nextLong(0, 5000 * MS)));
                };
                for (VrrpAction a : out) {
                    if (a instanceof VrrpAction.StateChanged c && c.to() == VrrpState.MASTER) {
                        lastAdvert = now;
                    }
                }
                if (m.state() == VrrpState.MASTER) {
                    assertThat(m.advertDeadlineNanos()).as("seed %d event %d (was %s)", seed, ev, before)
                            .isEqualTo(lastAdvert + interval);
                    assertThat(m.nextDeadlineNanos()).isLessThanOrEqualTo(lastAdvert + interval);
                }
            }
        }
    }
}
