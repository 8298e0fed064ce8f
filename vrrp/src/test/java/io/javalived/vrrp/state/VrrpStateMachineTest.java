package io.javalived.vrrp.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.vrrp.state.VrrpAction.GratuitousCause;
import io.javalived.vrrp.state.VrrpAction.StateChanged;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every transition on a fake clock (nanoseconds; t0 = 1000 s to catch origin assumptions). */
class VrrpStateMachineTest {
    static final long S = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long T0 = 1000 * S;
    static final InetAddress ME = ip("10.0.0.5");
    static final InetAddress LOWER_ADDR = ip("10.0.0.2");
    static final InetAddress HIGHER_ADDR = ip("10.0.0.9");

    static InetAddress ip(String s) {
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static VrrpSettings v2(int prio) {
        return VrrpSettings.of("VI_1", 2, prio, S, ME);
    }

    static VrrpSettings v3(int prio, long interval) {
        return VrrpSettings.of("VI_1", 3, prio, interval, ME);
    }

    static StateChanged change(List<VrrpAction> a) {
        List<StateChanged> c = a.stream().filter(x -> x instanceof StateChanged).map(x -> (StateChanged) x).toList();
        assertThat(c).hasSize(1);
        return c.get(0);
    }

    static List<String> logs(List<VrrpAction> a) {
        return a.stream().filter(x -> x instanceof VrrpAction.Log).map(x -> ((VrrpAction.Log) x).message()).toList();
    }

    static long adverts(List<VrrpAction> a) {
        return a.stream().filter(x -> x instanceof VrrpAction.SendAdvert).count();
    }

    /** A machine already MASTER at T0 (became master by master-down expiry). */
    static VrrpStateMachine master(VrrpSettings s) {
        VrrpStateMachine m = new VrrpStateMachine(s);
        m.start(T0 - 10 * S);
        List<VrrpAction> a = m.onTimer(m.nextDeadlineNanos());
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        // re-base: advance through adverts until the next advert is due after T0
        while (m.advertDeadlineNanos() <= T0) {
            m.onTimer(m.advertDeadlineNanos());
        }
        return m;
    }

    static VrrpStateMachine backup(VrrpSettings s) {
        VrrpStateMachine m = new VrrpStateMachine(s);
        m.start(T0);
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        return m;
    }

    // ---------------------------------------------------------------- timing formulas

    static Stream<Arguments> skews() {
        return Stream.of(
                // version, priority, interval, expected skew (ns), expected master_down (ns)
                Arguments.of(2, 100, S, 609_375 * 1000L, 3 * S + 609_375_000L),
                Arguments.of(2, 150, S, 414_062 * 1000L, 3 * S + 414_062_000L),
                Arguments.of(2, 254, S, 7_812 * 1000L, 3 * S + 7_812_000L),
                Arguments.of(2, 1, 3 * S, 996_093 * 1000L, 9 * S + 996_093_000L),
                Arguments.of(3, 100, S, 609_375 * 1000L, 3 * S + 609_375_000L),
                Arguments.of(3, 100, 500 * MS, 304_687 * 1000L, 1500 * MS + 304_687_000L),
                Arguments.of(3, 200, 50 * MS, 10_937 * 1000L, 150 * MS + 10_937_000L),
                Arguments.of(3, 254, 10 * MS, 78 * 1000L, 30 * MS + 78_000L));
    }

    @ParameterizedTest(name = "v{0} prio {1} interval {2}")
    @MethodSource("skews")
    void skewAndMasterDownAsKeepalived(int version, int prio, long interval, long skew, long down) {
        VrrpStateMachine m = new VrrpStateMachine(VrrpSettings.of("VI_1", version, prio, interval, ME));
        assertThat(m.skewNanos()).isEqualTo(skew);
        assertThat(m.masterDownIntervalNanos()).isEqualTo(down);
        m.start(T0);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + down);
    }

    // ---------------------------------------------------------------- INIT

    @Test
    void initToBackup() {
        VrrpStateMachine m = new VrrpStateMachine(v2(100));
        assertThat(m.state()).isEqualTo(VrrpState.INIT);
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        List<VrrpAction> a = m.start(T0);
        assertThat(a).containsExactly(new StateChanged(VrrpState.INIT, VrrpState.BACKUP, TransitionReason.STARTUP,
                "VRRP_Instance(VI_1) Entering BACKUP STATE (init)"));
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 609_375_000L);
        assertThat(m.start(T0)).as("start twice").isEmpty();
    }

    @Test
    void initAddressOwnerConfiguredMasterGoesMasterAtOnce() {
        VrrpStateMachine m = new VrrpStateMachine(v2(255).withInitialMaster(true));
        List<VrrpAction> a = m.start(T0);
        assertThat(a).containsExactly(new VrrpAction.SendAdvert(255),
                new StateChanged(VrrpState.INIT, VrrpState.MASTER, TransitionReason.STARTUP,
                        "VRRP_Instance(VI_1) Entering MASTER STATE"),
                new VrrpAction.AddVirtualIps(),
                new VrrpAction.SendGratuitous(5, GratuitousCause.BECOME_MASTER));
        assertThat(m.advertDeadlineNanos()).isEqualTo(T0 + S);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + S);
    }

    @Test
    void initMasterBelow255WaitsMasterDownLikeKeepalived() {
        VrrpStateMachine m = new VrrpStateMachine(v2(150).withInitialMaster(true));
        assertThat(change(m.start(T0)).to()).isEqualTo(VrrpState.BACKUP);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 414_062_000L);
    }

    @Test
    void initOwnerConfiguredBackupStaysBackup() {
        VrrpStateMachine m = new VrrpStateMachine(v2(255));
        assertThat(change(m.start(T0)).to()).isEqualTo(VrrpState.BACKUP);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 3_906_000L);
    }

    @Test
    void initWithFault() {
        VrrpStateMachine m = new VrrpStateMachine(v2(255).withInitialMaster(true));
        assertThat(m.setFault(T0, true)).isEmpty();
        List<VrrpAction> a = m.start(T0);
        assertThat(a).containsExactly(new StateChanged(VrrpState.INIT, VrrpState.FAULT, TransitionReason.STARTUP,
                "VRRP_Instance(VI_1) Entering FAULT STATE (init)"));
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        // owner leaves fault straight to MASTER
        List<VrrpAction> up = m.setFault(T0 + S, false);
        assertThat(change(up)).isEqualTo(new StateChanged(VrrpState.FAULT, VrrpState.MASTER,
                TransitionReason.FAULT_CLEARED, "VRRP_Instance(VI_1) Entering MASTER STATE"));
        assertThat(up).startsWith(new VrrpAction.SendAdvert(255));
    }

    @Test
    void priorityBeforeStartIsUsed() {
        VrrpStateMachine m = new VrrpStateMachine(v2(100));
        m.setEffectivePriority(T0, 150);
        m.start(T0);
        assertThat(m.effectivePriority()).isEqualTo(150);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 414_062_000L);
    }

    @Test
    void logStyleKeepalived2() {
        VrrpStateMachine m = new VrrpStateMachine(v2(100).withLogStyle(LogStyle.KEEPALIVED_2));
        assertThat(change(m.start(T0)).logMessage()).isEqualTo("(VI_1) Entering BACKUP STATE (init)");
    }

    // ---------------------------------------------------------------- BACKUP

    @Test
    void backupToMasterOnMasterDown() {
        VrrpStateMachine m = backup(v2(100));
        long down = m.nextDeadlineNanos();
        assertThat(m.onTimer(down - 1)).isEmpty();
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        List<VrrpAction> a = m.onTimer(down);
        assertThat(a).containsExactly(new VrrpAction.SendAdvert(100),
                new StateChanged(VrrpState.BACKUP, VrrpState.MASTER, TransitionReason.MASTER_DOWN,
                        "VRRP_Instance(VI_1) Entering MASTER STATE"),
                new VrrpAction.AddVirtualIps(), new VrrpAction.SendGratuitous(5, GratuitousCause.BECOME_MASTER));
        assertThat(m.advertDeadlineNanos()).isEqualTo(down + S);
    }

    static Stream<Arguments> backupAdverts() {
        // ours, preempt, advert prio, from, expect timer reset (true) or unchanged (false), log
        return Stream.of(
                Arguments.of(100, true, 150, LOWER_ADDR, true, null),
                Arguments.of(100, true, 100, LOWER_ADDR, true, null),
                Arguments.of(100, true, 100, HIGHER_ADDR, true, null),
                Arguments.of(100, true, 99, HIGHER_ADDR, false,
                        "VRRP_Instance(VI_1) received lower priority (99) advert from 10.0.0.9 - discarding"),
                Arguments.of(100, false, 99, HIGHER_ADDR, true, null),
                Arguments.of(100, false, 1, LOWER_ADDR, true, null),
                Arguments.of(255, true, 254, LOWER_ADDR, false,
                        "VRRP_Instance(VI_1) received lower priority (254) advert from 10.0.0.2 - discarding"));
    }

    @ParameterizedTest(name = "ours {0} preempt {1} advert {2} from {3}")
    @MethodSource("backupAdverts")
    void backupReceivesAdvert(int ours, boolean preempt, int prio, InetAddress from, boolean reset, String log) {
        VrrpStateMachine m = backup(v2(ours).withPreempt(preempt, 0));
        long before = m.nextDeadlineNanos();
        long now = T0 + 2 * S;
        List<VrrpAction> a = m.onAdvert(now, new PeerAdvert(from, prio, S));
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(adverts(a)).isZero();
        if (reset) {
            assertThat(m.nextDeadlineNanos()).isEqualTo(now + m.masterDownIntervalNanos());
            assertThat(m.lastMasterAddress()).isEqualTo(from);
            assertThat(m.masterPriority()).isEqualTo(prio);
            assertThat(a).isEmpty();
        } else {
            assertThat(m.nextDeadlineNanos()).isEqualTo(before);
            assertThat(logs(a)).containsExactly(log);
        }
    }

    @Test
    void backupReceivingPriorityZeroTakesOverAfterSkewAlone() {
        VrrpStateMachine m = backup(v2(100));
        long now = T0 + S;
        m.onAdvert(now, new PeerAdvert(HIGHER_ADDR, 200, S));
        List<VrrpAction> a = m.onAdvert(now + 10 * MS, new PeerAdvert(HIGHER_ADDR, 0, S));
        assertThat(a).containsExactly(new VrrpAction.Log(Level.DEBUG,
                "VRRP_Instance(VI_1) Backup received priority 0 advertisement"));
        assertThat(m.nextDeadlineNanos()).isEqualTo(now + 10 * MS + 609_375_000L);
        assertThat(change(m.onTimer(m.nextDeadlineNanos())).to()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void v3BackupAdoptsMastersInterval() {
        VrrpStateMachine m = backup(v3(100, S));
        long now = T0 + S;
        m.onAdvert(now, new PeerAdvert(HIGHER_ADDR, 200, 50 * MS));
        assertThat(m.masterAdverIntervalNanos()).isEqualTo(50 * MS);
        // 3 x 50 ms + (156 x 5 cs x 625/16) us = 150 ms + 30468 us
        assertThat(m.nextDeadlineNanos()).isEqualTo(now + 150 * MS + 30_468_000L);
        // becoming master reverts to our own interval
        m.onTimer(m.nextDeadlineNanos());
        assertThat(m.masterAdverIntervalNanos()).isEqualTo(S);
        assertThat(m.advertDeadlineNanos() - m.nextDeadlineNanos()).isZero();
    }

    @Test
    void v2BackupKeepsItsOwnInterval() {
        VrrpStateMachine m = backup(v2(100));
        m.onAdvert(T0, new PeerAdvert(HIGHER_ADDR, 200, 3 * S));
        assertThat(m.masterAdverIntervalNanos()).isEqualTo(S);
    }

    @Test
    void v3AdvertWithZeroIntervalDoesNotCollapseTheTimer() {
        VrrpStateMachine m = backup(v3(100, S));
        m.onAdvert(T0, new PeerAdvert(HIGHER_ADDR, 200, 0));
        assertThat(m.masterAdverIntervalNanos()).isEqualTo(10 * MS);
        assertThat(m.nextDeadlineNanos()).isGreaterThan(T0 + 30 * MS);
    }

    @Test
    void preemptDelayHoldsOffPreemptionThenTakesOver() {
        VrrpStateMachine m = backup(v2(150).withPreempt(true, 5 * S));
        long t = T0;
        // the lower-priority master advertises every second; accepted while the delay runs
        for (int i = 1; i <= 5; i++) {
            t = T0 + i * S;
            List<VrrpAction> a = m.onAdvert(t, new PeerAdvert(LOWER_ADDR, 100, S));
            assertThat(m.nextDeadlineNanos()).as("advert %d accepted", i).isEqualTo(t + m.masterDownIntervalNanos());
            if (i == 1) {
                assertThat(logs(a)).containsExactly("VRRP_Instance(VI_1) start preempt delay (5.000000)");
            }
        }
        long lastAccepted = t;
        // delay started at T0+1s and ends at T0+6s: from then on the adverts are discarded
        for (int i = 6; i <= 8; i++) {
            List<VrrpAction> a = m.onAdvert(T0 + i * S, new PeerAdvert(LOWER_ADDR, 100, S));
            assertThat(logs(a)).containsExactly(
                    "VRRP_Instance(VI_1) received lower priority (100) advert from 10.0.0.2 - discarding");
            assertThat(m.nextDeadlineNanos()).isEqualTo(lastAccepted + m.masterDownIntervalNanos());
        }
        assertThat(change(m.onTimer(lastAccepted + m.masterDownIntervalNanos())).to()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void preemptDelayRestartsAfterHigherPriorityAdvert() {
        VrrpStateMachine m = backup(v2(150).withPreempt(true, 5 * S));
        m.onAdvert(T0 + S, new PeerAdvert(LOWER_ADDR, 100, S)); // delay until T0+6
        m.onAdvert(T0 + 2 * S, new PeerAdvert(HIGHER_ADDR, 200, S)); // cancels
        m.onAdvert(T0 + 4 * S, new PeerAdvert(LOWER_ADDR, 100, S)); // restarts: until T0+9
        List<VrrpAction> a = m.onAdvert(T0 + 8 * S, new PeerAdvert(LOWER_ADDR, 100, S));
        assertThat(logs(a)).isEmpty();
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 8 * S + m.masterDownIntervalNanos());
        a = m.onAdvert(T0 + 9 * S, new PeerAdvert(LOWER_ADDR, 100, S));
        assertThat(logs(a)).hasSize(1);
    }

    @Test
    void nopreemptNeverTakesOverFromALiveMaster() {
        VrrpStateMachine m = backup(v2(200).withPreempt(false, 0));
        for (int i = 1; i <= 100; i++) {
            long t = T0 + i * S;
            assertThat(m.onTimer(t)).isEmpty();
            m.onAdvert(t, new PeerAdvert(LOWER_ADDR, 50, S));
        }
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        // but it does when the master dies
        assertThat(change(m.onTimer(m.nextDeadlineNanos())).to()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void preemptTakesOverFromLowerMasterAfterMasterDown() {
        VrrpStateMachine m = backup(v2(200));
        long first = T0 + S;
        m.onAdvert(first, new PeerAdvert(LOWER_ADDR, 50, S)); // discarded: timer from T0 keeps running
        long down = T0 + m.masterDownIntervalNanos();
        assertThat(m.nextDeadlineNanos()).isEqualTo(down);
        assertThat(change(m.onTimer(down)).reason()).isEqualTo(TransitionReason.MASTER_DOWN);
    }

    // ---------------------------------------------------------------- MASTER

    @Test
    void masterAdvertisesEveryInterval() {
        VrrpStateMachine m = master(v2(100));
        long next = m.advertDeadlineNanos();
        for (int i = 0; i < 10; i++) {
            assertThat(m.onTimer(next - 1)).isEmpty();
            assertThat(m.onTimer(next)).containsExactly(new VrrpAction.SendAdvert(100));
            assertThat(m.advertDeadlineNanos()).isEqualTo(next + S);
            next += S;
        }
        // a late driver (500 ms late) keeps the cadence; a very late one (3 s) skips the missed adverts
        assertThat(m.onTimer(next + 500 * MS)).containsExactly(new VrrpAction.SendAdvert(100));
        assertThat(m.advertDeadlineNanos()).isEqualTo(next + S);
        assertThat(m.onTimer(next + 4 * S)).containsExactly(new VrrpAction.SendAdvert(100));
        assertThat(m.advertDeadlineNanos()).isEqualTo(next + 5 * S);
    }

    @Test
    void masterReceivingLowerPriorityForcesNewElectionOncePerInterval() {
        VrrpStateMachine m = master(v2(100));
        long t = m.advertDeadlineNanos() - 500 * MS;
        List<VrrpAction> a = m.onAdvert(t, new PeerAdvert(HIGHER_ADDR, 50, S));
        assertThat(a).containsExactly(
                new VrrpAction.Log(Level.INFO, "VRRP_Instance(VI_1) Received advert from 10.0.0.9 with lower "
                        + "priority 50, ours 100, forcing new election"),
                new VrrpAction.SendAdvert(100),
                new VrrpAction.SendGratuitous(5, GratuitousCause.LOWER_PRIORITY),
                new VrrpAction.MasterReceivedLowerPriority(HIGHER_ADDR, 50));
        assertThat(adverts(m.onAdvert(t + 1, new PeerAdvert(HIGHER_ADDR, 50, S)))).as("rate limited").isZero();
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        m.onTimer(m.advertDeadlineNanos());
        assertThat(adverts(m.onAdvert(m.advertDeadlineNanos() - S + 1, new PeerAdvert(HIGHER_ADDR, 50, S))))
                .isEqualTo(1);
    }

    @Test
    void masterLowerPriorityOptions() {
        VrrpStateMachine m = master(v2(100).withAdvertOptions(true, false).withGarp(5 * S, 5, 0, 1, 2 * S, 3));
        long t = m.advertDeadlineNanos() - 500 * MS;
        List<VrrpAction> a = m.onAdvert(t, new PeerAdvert(LOWER_ADDR, 50, S));
        assertThat(a).containsExactly(
                new VrrpAction.Log(Level.INFO, "VRRP_Instance(VI_1) Received advert from 10.0.0.2 with lower "
                        + "priority 50, ours 100"),
                new VrrpAction.SendGratuitous(3, GratuitousCause.LOWER_PRIORITY),
                new VrrpAction.MasterReceivedLowerPriority(LOWER_ADDR, 50));
        // the delayed lower-priority burst
        assertThat(m.nextDeadlineNanos()).isEqualTo(m.advertDeadlineNanos());
        m.onTimer(m.advertDeadlineNanos());
        assertThat(m.onTimer(t + 2 * S)).contains(new VrrpAction.SendGratuitous(3, GratuitousCause.LOWER_PRIORITY));
    }

    @Test
    void masterStepsDownOnHigherPriority() {
        VrrpStateMachine m = master(v2(100));
        long t = m.advertDeadlineNanos() - 300 * MS;
        List<VrrpAction> a = m.onAdvert(t, new PeerAdvert(LOWER_ADDR, 150, S));
        assertThat(a).containsExactly(
                new VrrpAction.Log(Level.INFO, "VRRP_Instance(VI_1) Master received advert from 10.0.0.2 with "
                        + "higher priority 150, ours 100"),
                new StateChanged(VrrpState.MASTER, VrrpState.BACKUP, TransitionReason.HIGHER_PRIORITY_ADVERT,
                        "VRRP_Instance(VI_1) Entering BACKUP STATE"),
                new VrrpAction.RemoveVirtualIps());
        assertThat(m.nextDeadlineNanos()).isEqualTo(t + 3 * S + 609_375_000L);
        assertThat(m.advertDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(m.lastMasterAddress()).isEqualTo(LOWER_ADDR);
    }

    @Test
    void masterHigherPrioSendAdvertSendsOneBeforeSteppingDown() {
        VrrpStateMachine m = master(v2(100).withAdvertOptions(false, true));
        List<VrrpAction> a = m.onAdvert(T0 + 100 * MS, new PeerAdvert(LOWER_ADDR, 150, S));
        assertThat(a.get(0)).isEqualTo(new VrrpAction.SendAdvert(100));
        assertThat(change(a).to()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void equalPriorityIsBrokenByTheHigherAddress() {
        VrrpStateMachine m = master(v2(100));
        List<VrrpAction> low = m.onAdvert(T0 + 100 * MS, new PeerAdvert(LOWER_ADDR, 100, S));
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        assertThat(adverts(low)).isEqualTo(1);
        List<VrrpAction> high = m.onAdvert(T0 + 200 * MS, new PeerAdvert(HIGHER_ADDR, 100, S));
        assertThat(logs(high)).containsExactly("VRRP_Instance(VI_1) Master received advert from 10.0.0.9 with "
                + "same priority 100 but higher IP address than ours");
        assertThat(change(high).to()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void addressComparisonIsNumeric() {
        assertThat(VrrpStateMachine.compareAddresses(ip("10.0.0.10"), ip("10.0.0.9"))).isPositive();
        assertThat(VrrpStateMachine.compareAddresses(ip("192.168.0.1"), ip("10.255.255.255"))).isPositive();
        assertThat(VrrpStateMachine.compareAddresses(ip("fe80::2"), ip("fe80::1"))).isPositive();
        assertThat(VrrpStateMachine.compareAddresses(ip("fe80::1"), ip("10.0.0.1"))).isZero();
        assertThat(VrrpStateMachine.compareAddresses(null, ip("10.0.0.1"))).isZero();
    }

    @Test
    void equalPriorityFromOurOwnAddressWarns() {
        VrrpStateMachine m = master(v2(100));
        List<VrrpAction> a = m.onAdvert(T0 + 100 * MS, new PeerAdvert(ME, 100, S));
        assertThat(a).containsExactly(new VrrpAction.Log(Level.WARNING, "VRRP_Instance(VI_1) WARNING - equal "
                + "priority advert received from remote host with our IP address."));
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void twoAddressOwnersResolveTheConflict() {
        VrrpStateMachine m = master(v2(255).withInitialMaster(true));
        List<VrrpAction> a = m.onAdvert(T0 + 100 * MS, new PeerAdvert(LOWER_ADDR, 255, S));
        assertThat(logs(a).get(0)).isEqualTo("VRRP_Instance(VI_1) CONFIGURATION ERROR: local instance and a remote "
                + "instance are both configured as address owner, please fix - reducing local priority");
        assertThat(m.effectivePriority()).isEqualTo(254);
        assertThat(change(a).to()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void masterAnswersPriorityZeroWithAnAdvert() {
        VrrpStateMachine m = master(v2(100));
        long due = m.advertDeadlineNanos();
        List<VrrpAction> a = m.onAdvert(T0 + 100 * MS, new PeerAdvert(HIGHER_ADDR, 0, S));
        assertThat(a).containsExactly(new VrrpAction.SendAdvert(100), new VrrpAction.Log(Level.DEBUG,
                "VRRP_Instance(VI_1) Master received priority 0 message"));
        assertThat(m.advertDeadlineNanos()).as("periodic schedule untouched").isEqualTo(due);
    }

    @Test
    void gratuitousArpSchedule() {
        VrrpStateMachine m = new VrrpStateMachine(v2(255).withInitialMaster(true)
                .withGarp(5 * S, 2, 60 * S, 1, 5 * S, 0));
        m.start(T0);
        long garps = 0;
        long refresh = 0;
        for (long t = T0 + S; t <= T0 + 130 * S; t += S) {
            for (VrrpAction a : m.onTimer(t)) {
                if (a instanceof VrrpAction.SendGratuitous g) {
                    if (g.cause() == GratuitousCause.MASTER_DELAY) {
                        assertThat(t).isEqualTo(T0 + 5 * S);
                        assertThat(g.repeat()).isEqualTo(2);
                        garps++;
                    } else if (g.cause() == GratuitousCause.REFRESH) {
                        assertThat((t - T0) % (60 * S)).isZero();
                        refresh++;
                    }
                }
            }
        }
        assertThat(garps).isEqualTo(1);
        assertThat(refresh).isEqualTo(2);
        // garp_master_delay 0: no second burst
        VrrpStateMachine n = new VrrpStateMachine(v2(255).withInitialMaster(true).withGarp(0, 5, 0, 1, 0, 0));
        n.start(T0);
        for (long t = T0 + S; t <= T0 + 20 * S; t += S) {
            assertThat(n.onTimer(t)).containsExactly(new VrrpAction.SendAdvert(255));
        }
    }

    // ---------------------------------------------------------------- priority changes

    @Test
    void effectivePriorityIsClampedAndLogged() {
        VrrpStateMachine m = backup(v2(100));
        long down = m.nextDeadlineNanos();
        List<VrrpAction> a = m.setEffectivePriority(T0 + S, 90);
        assertThat(a).containsExactly(new VrrpAction.Log(Level.INFO,
                "VRRP_Instance(VI_1) Changing effective priority from 100 to 90"), new VrrpAction.PriorityChanged(100, 90));
        // skew grows from 156/256 s to 166/256 s: the deadline moves by the difference
        assertThat(m.nextDeadlineNanos()).isEqualTo(down + (648_437_000L - 609_375_000L));
        assertThat(m.setEffectivePriority(T0, 90)).isEmpty();
        m.setEffectivePriority(T0, -20);
        assertThat(m.effectivePriority()).isEqualTo(1);
        m.setEffectivePriority(T0, 1000);
        assertThat(m.effectivePriority()).isEqualTo(254);
    }

    @Test
    void ownerPriorityNeverChanges() {
        VrrpStateMachine m = master(v2(255).withInitialMaster(true));
        assertThat(m.setEffectivePriority(T0, 100)).isEmpty();
        assertThat(m.effectivePriority()).isEqualTo(255);
    }

    @Test
    void masterAdvertisesItsNewPriorityAndLosesToAHigherBackup() {
        VrrpStateMachine m = master(v2(150));
        m.setEffectivePriority(T0 + 10 * MS, 90);
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        assertThat(m.onTimer(m.advertDeadlineNanos())).containsExactly(new VrrpAction.SendAdvert(90));
        assertThat(change(m.onAdvert(T0 + 1500 * MS, new PeerAdvert(LOWER_ADDR, 100, S))).to())
                .isEqualTo(VrrpState.BACKUP);
    }

    // ---------------------------------------------------------------- FAULT

    @Test
    void masterToFaultSendsPriorityZeroAndRemovesVips() {
        VrrpStateMachine m = master(v2(100));
        List<VrrpAction> a = m.setFault(T0 + 10 * MS, true);
        assertThat(a).containsExactly(new StateChanged(VrrpState.MASTER, VrrpState.FAULT, TransitionReason.FAULT,
                        "VRRP_Instance(VI_1) Entering FAULT STATE"), new VrrpAction.SendAdvert(0),
                new VrrpAction.RemoveVirtualIps());
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(m.onTimer(T0 + 100 * S)).isEmpty();
        assertThat(m.onAdvert(T0 + 100 * S, new PeerAdvert(LOWER_ADDR, 0, S))).isEmpty();
        assertThat(m.setFault(T0 + 100 * S, true)).isEmpty();
        List<VrrpAction> up = m.setFault(T0 + 200 * S, false);
        assertThat(up).containsExactly(new StateChanged(VrrpState.FAULT, VrrpState.BACKUP,
                TransitionReason.FAULT_CLEARED, "VRRP_Instance(VI_1) Entering BACKUP STATE"));
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 200 * S + m.masterDownIntervalNanos());
    }

    @Test
    void backupToFaultAndBack() {
        VrrpStateMachine m = backup(v3(100, 100 * MS));
        m.onAdvert(T0, new PeerAdvert(HIGHER_ADDR, 200, 50 * MS));
        assertThat(m.setFault(T0 + S, true)).containsExactly(new StateChanged(VrrpState.BACKUP, VrrpState.FAULT,
                TransitionReason.FAULT, "VRRP_Instance(VI_1) Entering FAULT STATE"));
        m.setFault(T0 + 2 * S, false);
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(m.masterAdverIntervalNanos()).as("own interval again").isEqualTo(100 * MS);
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void shutdownAsMaster() {
        VrrpStateMachine m = master(v2(100));
        List<VrrpAction> a = m.shutdown(T0 + 10 * MS);
        assertThat(a).containsExactly(new VrrpAction.SendAdvert(0),
                new VrrpAction.Log(Level.INFO, "VRRP_Instance(VI_1) sent 0 priority"), new VrrpAction.RemoveVirtualIps(),
                new StateChanged(VrrpState.MASTER, VrrpState.STOP, TransitionReason.SHUTDOWN,
                        "VRRP_Instance(VI_1) Stopped"));
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(m.onTimer(T0 + 100 * S)).isEmpty();
        assertThat(m.onAdvert(T0 + 100 * S, new PeerAdvert(LOWER_ADDR, 200, S))).isEmpty();
        assertThat(m.setFault(T0 + 100 * S, true)).isEmpty();
        assertThat(m.setEffectivePriority(T0, 3)).isEmpty();
        assertThat(m.shutdown(T0)).isEmpty();
    }

    @Test
    void shutdownAsBackupSendsNothing() {
        VrrpStateMachine m = backup(v2(100));
        assertThat(m.shutdown(T0)).containsExactly(new StateChanged(VrrpState.BACKUP, VrrpState.STOP,
                TransitionReason.SHUTDOWN, "VRRP_Instance(VI_1) Stopped"));
    }

    @Test
    void advertsIgnoredInInit() {
        VrrpStateMachine m = new VrrpStateMachine(v2(100));
        assertThat(m.onAdvert(T0, new PeerAdvert(LOWER_ADDR, 200, S))).isEmpty();
        assertThat(m.onTimer(T0)).isEmpty();
        assertThat(m.state()).isEqualTo(VrrpState.INIT);
    }

    @Test
    void settingsFromDefaults() {
        VrrpSettings s = VrrpSettings.of("VI_1", 3, 100, 50 * MS, ME);
        assertThat(s.advertIntervalField()).isEqualTo(5);
        assertThat(v2(100).advertIntervalField()).isEqualTo(1);
        assertThat(v2(255).addressOwner()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VrrpSettings.of("x", 3, 100, 5 * MS, ME))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> VrrpSettings.of("x", 2, 0, S, ME))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
