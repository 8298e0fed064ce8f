package io.javalived.vrrp.state;

import static io.javalived.vrrp.state.VrrpStateMachineTest.HIGHER_ADDR;
import static io.javalived.vrrp.state.VrrpStateMachineTest.LOWER_ADDR;
import static io.javalived.vrrp.state.VrrpStateMachineTest.ME;
import static io.javalived.vrrp.state.VrrpStateMachineTest.MS;
import static io.javalived.vrrp.state.VrrpStateMachineTest.S;
import static io.javalived.vrrp.state.VrrpStateMachineTest.T0;
import static io.javalived.vrrp.state.VrrpStateMachineTest.logs;
import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.vrrp.state.VrrpAction.GratuitousCause;
import io.javalived.vrrp.state.VrrpAction.StateChanged;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The restart path: an instance that found its VIPs on the interfaces at start ({@code keepVirtualIpsAtStart}) holds
 * them in INIT for master_down, then becomes MASTER without removing them, unless a master that wins the election
 * (or any master under nopreempt / preempt_delay) is heard, or a fault comes. Fake clock, as VrrpStateMachineTest.
 */
class StartHoldingVipsTest {
    static final long DOWN_150 = 3 * S + 414_062_000L; // master_down, v2, priority 150, advert_int 1

    static VrrpSettings v2(int prio) {
        return VrrpSettings.of("VI_1", 2, prio, S, ME).withInitialMaster(true);
    }

    static VrrpStateMachine holding(VrrpSettings s) {
        VrrpStateMachine m = new VrrpStateMachine(s);
        m.keepVirtualIpsAtStart();
        List<VrrpAction> a = m.start(T0);
        assertThat(a).as("start sends nothing, removes nothing, changes no state")
                .allMatch(x -> x instanceof VrrpAction.Log);
        assertThat(m.state()).isEqualTo(VrrpState.INIT);
        assertThat(m.holdingVirtualIps()).isTrue();
        return m;
    }

    static long count(List<VrrpAction> a, Class<?> type) {
        return a.stream().filter(type::isInstance).count();
    }

    // ---------------------------------------------------------------- no master heard

    @Test
    void noMasterHeardBecomesMasterAfterMasterDownWithoutRemovingTheVips() {
        VrrpStateMachine m = new VrrpStateMachine(v2(150));
        m.keepVirtualIpsAtStart();
        List<VrrpAction> start = m.start(T0);
        assertThat(logs(start)).containsExactly("VRRP_Instance(VI_1) Found its VIPs set at start - keeping them while"
                + " listening for a master for 3.414062 s");
        assertThat(m.state()).isEqualTo(VrrpState.INIT);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + DOWN_150);
        assertThat(m.holdDeadlineNanos()).isEqualTo(T0 + DOWN_150);
        assertThat(m.masterDownDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(m.wantsMaster()).isTrue();
        assertThat(m.start(T0 + S)).as("start twice").isEmpty();
        assertThat(m.onTimer(T0 + DOWN_150 - 1)).isEmpty();
        List<VrrpAction> a = m.onTimer(T0 + DOWN_150);
        assertThat(a).containsExactly(new VrrpAction.SendAdvert(150),
                new StateChanged(VrrpState.INIT, VrrpState.MASTER, TransitionReason.MASTER_DOWN,
                        "VRRP_Instance(VI_1) Entering MASTER STATE"),
                new VrrpAction.AddVirtualIps(), new VrrpAction.SendGratuitous(5, GratuitousCause.BECOME_MASTER));
        assertThat(m.holdingVirtualIps()).isFalse();
        assertThat(m.holdDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(m.advertDeadlineNanos()).isEqualTo(T0 + DOWN_150 + S);
    }

    @Test
    void withoutKeepTheStartIsKeepalivedsUnchanged() {
        VrrpStateMachine m = new VrrpStateMachine(v2(150));
        assertThat(m.start(T0)).containsExactly(new StateChanged(VrrpState.INIT, VrrpState.BACKUP,
                TransitionReason.STARTUP, "VRRP_Instance(VI_1) Entering BACKUP STATE (init)"));
        assertThat(m.holdingVirtualIps()).isFalse();
        m.keepVirtualIpsAtStart(); // after start: ignored
        assertThat(m.holdingVirtualIps()).isFalse();
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + DOWN_150);
    }

    @Test
    void configuredStateBackupHoldsToo() {
        VrrpStateMachine m = holding(VrrpSettings.of("VI_1", 2, 100, S, ME));
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 609_375_000L);
    }

    @Test
    void v3WindowIsItsMasterDown() {
        VrrpStateMachine m = holding(VrrpSettings.of("VI_1", 3, 200, 50 * MS, ME));
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 150 * MS + 10_937_000L);
    }

    @Test
    void addressOwnerConfiguredMasterIsMasterAtOnceAndAddsNothingNew() {
        VrrpStateMachine m = new VrrpStateMachine(VrrpSettings.of("VI_1", 2, 255, S, ME).withInitialMaster(true));
        m.keepVirtualIpsAtStart();
        List<VrrpAction> a = m.start(T0);
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        assertThat(m.holdingVirtualIps()).isFalse();
        assertThat(count(a, VrrpAction.RemoveVirtualIps.class)).isZero();
    }

    // ---------------------------------------------------------------- a master heard while holding

    /**
     * ours, preempt, preempt_delay (s), advert priority, advert source, released (BACKUP) or kept.
     * Ties: equal priority is decided by the primary address (ours 10.0.0.5), as between two masters.
     */
    static Stream<Arguments> heard() {
        return Stream.of(
                Arguments.of(150, true, 0, 200, LOWER_ADDR, true, "with higher priority 200, ours 150"),
                Arguments.of(150, true, 0, 151, LOWER_ADDR, true, "with higher priority 151, ours 150"),
                Arguments.of(150, true, 0, 255, LOWER_ADDR, true, "with higher priority 255, ours 150"),
                Arguments.of(150, true, 0, 150, HIGHER_ADDR, true,
                        "with same priority 150 but higher IP address than ours"),
                Arguments.of(150, true, 0, 150, LOWER_ADDR, false, "received lower priority (150) advert"),
                Arguments.of(150, true, 0, 150, ME, false, "received lower priority (150) advert"),
                Arguments.of(150, true, 0, 149, HIGHER_ADDR, false, "received lower priority (149) advert"),
                Arguments.of(150, true, 0, 1, HIGHER_ADDR, false, "received lower priority (1) advert"),
                Arguments.of(150, false, 0, 100, LOWER_ADDR, true, "with priority 100, ours 150 - nopreempt"),
                Arguments.of(150, false, 0, 1, HIGHER_ADDR, true, "with priority 1, ours 150 - nopreempt"),
                Arguments.of(150, false, 0, 200, LOWER_ADDR, true, "with higher priority 200, ours 150"),
                Arguments.of(150, true, 30, 100, LOWER_ADDR, true, "with priority 100, ours 150 - preempt_delay"),
                Arguments.of(150, true, 30, 200, LOWER_ADDR, true, "with higher priority 200, ours 150"),
                Arguments.of(254, true, 0, 255, LOWER_ADDR, true, "with higher priority 255, ours 254"),
                Arguments.of(255, true, 0, 254, HIGHER_ADDR, false, "received lower priority (254) advert"),
                Arguments.of(255, true, 0, 255, HIGHER_ADDR, true,
                        "with same priority 255 but higher IP address than ours"),
                Arguments.of(1, true, 0, 2, LOWER_ADDR, true, "with higher priority 2, ours 1"),
                Arguments.of(1, true, 0, 1, LOWER_ADDR, false, "received lower priority (1) advert"));
    }

    @ParameterizedTest(name = "ours {0} preempt {1} delay {2}: advert {3} from {4} -> released {5}")
    @MethodSource("heard")
    void aMasterHeardWhileHolding(int ours, boolean preempt, int delay, int prio, InetAddress from,
                                  boolean released, String logPart) {
        VrrpStateMachine m = holding(VrrpSettings.of("VI_1", 2, ours, S, ME).withPreempt(preempt, delay * S));
        long window = m.nextDeadlineNanos();
        long t = T0 + S;
        List<VrrpAction> a = m.onAdvert(t, new PeerAdvert(from, prio, S));
        assertThat(String.join("\n", logs(a))).contains(logPart);
        if (released) {
            assertThat(a).containsSubsequence(new StateChanged(VrrpState.INIT, VrrpState.BACKUP,
                    TransitionReason.STARTUP, "VRRP_Instance(VI_1) Entering BACKUP STATE"),
                    new VrrpAction.RemoveVirtualIps());
            assertThat(count(a, VrrpAction.SendAdvert.class)).as("a released instance sends nothing").isZero();
            assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
            assertThat(m.holdingVirtualIps()).isFalse();
            assertThat(m.lastMasterAddress()).isEqualTo(from);
            assertThat(m.masterPriority()).isEqualTo(prio);
            assertThat(m.nextDeadlineNanos()).as("follows that master").isEqualTo(t + m.masterDownIntervalNanos());
            assertThat(m.wantsMaster()).isFalse();
        } else {
            assertThat(a).allMatch(x -> x instanceof VrrpAction.Log);
            assertThat(m.state()).isEqualTo(VrrpState.INIT);
            assertThat(m.holdingVirtualIps()).isTrue();
            assertThat(m.nextDeadlineNanos()).as("a losing master does not move the window").isEqualTo(window);
            List<VrrpAction> end = m.onTimer(window);
            assertThat(m.state()).isEqualTo(VrrpState.MASTER);
            assertThat(count(end, VrrpAction.RemoveVirtualIps.class)).isZero();
            // the losing master then gets the usual answer from our MASTER (our own address: only a warning)
            List<VrrpAction> answer = m.onAdvert(window + 1, new PeerAdvert(from, prio, S));
            assertThat(count(answer, VrrpAction.SendAdvert.class)).isEqualTo(from.equals(ME) ? 0 : 1);
        }
    }

    @Test
    void v3ReleaseAdoptsTheMastersInterval() {
        VrrpStateMachine m = holding(VrrpSettings.of("VI_1", 3, 100, S, ME));
        m.onAdvert(T0 + 10 * MS, new PeerAdvert(HIGHER_ADDR, 200, 2 * S));
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(m.masterAdverIntervalNanos()).isEqualTo(2 * S);
    }

    @Test
    void priorityZeroShortensTheWindowToTheSkew() {
        VrrpStateMachine m = holding(v2(150));
        long t = T0 + S;
        List<VrrpAction> a = m.onAdvert(t, new PeerAdvert(HIGHER_ADDR, 0, S));
        assertThat(a).allMatch(x -> x instanceof VrrpAction.Log);
        assertThat(m.nextDeadlineNanos()).isEqualTo(t + 414_062_000L);
        // a later priority-0 advert never lengthens it
        m.onAdvert(t + 100 * MS, new PeerAdvert(HIGHER_ADDR, 0, S));
        assertThat(m.nextDeadlineNanos()).isEqualTo(t + 414_062_000L);
        assertThat(m.onTimer(t + 414_062_000L)).doesNotContain(new VrrpAction.RemoveVirtualIps());
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
    }

    // ---------------------------------------------------------------- faults, priority, stop

    @Test
    void faultBeforeStartRemovesTheVipsAndEntersFault() {
        VrrpStateMachine m = new VrrpStateMachine(v2(150));
        m.keepVirtualIpsAtStart();
        assertThat(m.setFault(T0, true)).isEmpty();
        List<VrrpAction> a = m.start(T0);
        assertThat(a).containsExactly(new VrrpAction.RemoveVirtualIps(), new StateChanged(VrrpState.INIT,
                VrrpState.FAULT, TransitionReason.STARTUP, "VRRP_Instance(VI_1) Entering FAULT STATE (init)"));
        assertThat(m.holdingVirtualIps()).isFalse();
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
    }

    @Test
    void faultWhileHoldingRemovesTheVipsThenBackupWhenCleared() {
        VrrpStateMachine m = holding(v2(150));
        List<VrrpAction> a = m.setFault(T0 + S, true);
        assertThat(a).containsExactly(new StateChanged(VrrpState.INIT, VrrpState.FAULT, TransitionReason.FAULT,
                "VRRP_Instance(VI_1) Entering FAULT STATE"), new VrrpAction.RemoveVirtualIps());
        assertThat(m.holdingVirtualIps()).isFalse();
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(change(m.setFault(T0 + 2 * S, false)).to()).isEqualTo(VrrpState.BACKUP);
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 2 * S + DOWN_150);
    }

    @Test
    void clearingAFaultThatWasNeverSetDoesNothing() {
        VrrpStateMachine m = holding(v2(150));
        assertThat(m.setFault(T0 + S, false)).isEmpty();
        assertThat(m.holdingVirtualIps()).isTrue();
    }

    @Test
    void aPriorityChangeMovesTheWindowByTheSkew() {
        VrrpStateMachine m = holding(v2(150));
        List<VrrpAction> a = m.setEffectivePriority(T0 + S, 100);
        assertThat(logs(a)).containsExactly("VRRP_Instance(VI_1) Changing effective priority from 150 to 100");
        assertThat(m.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 609_375_000L);
        // and the election uses the new priority
        m.onAdvert(T0 + 2 * S, new PeerAdvert(LOWER_ADDR, 120, S));
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void shutdownWhileHoldingSendsPriorityZeroAndRemovesTheVips() {
        VrrpStateMachine m = holding(v2(150));
        List<VrrpAction> a = m.shutdown(T0 + S);
        assertThat(a).containsExactly(new VrrpAction.SendAdvert(0),
                new VrrpAction.Log(System.Logger.Level.INFO, "VRRP_Instance(VI_1) sent 0 priority"),
                new VrrpAction.RemoveVirtualIps(), new StateChanged(VrrpState.INIT, VrrpState.STOP,
                        TransitionReason.SHUTDOWN, "VRRP_Instance(VI_1) Stopped"));
        assertThat(m.nextDeadlineNanos()).isEqualTo(VrrpStateMachine.NEVER);
        assertThat(m.onTimer(T0 + 10 * S)).isEmpty();
        assertThat(m.onAdvert(T0 + 10 * S, new PeerAdvert(HIGHER_ADDR, 200, S))).isEmpty();
    }

    @Test
    void afterReleaseItIsAnOrdinaryBackup() {
        VrrpStateMachine m = holding(v2(150));
        m.onAdvert(T0 + S, new PeerAdvert(HIGHER_ADDR, 200, S));
        long down = m.nextDeadlineNanos();
        // the higher master goes silent: the ordinary takeover, which adds the VIPs back
        List<VrrpAction> a = m.onTimer(down);
        assertThat(change(a)).isEqualTo(new StateChanged(VrrpState.BACKUP, VrrpState.MASTER,
                TransitionReason.MASTER_DOWN, "VRRP_Instance(VI_1) Entering MASTER STATE"));
        assertThat(a).contains(new VrrpAction.AddVirtualIps());
    }

    static StateChanged change(List<VrrpAction> a) {
        return VrrpStateMachineTest.change(a);
    }

    /**
     * Random inputs during and after the window: the VIPs are removed only by a transition to BACKUP, FAULT or STOP
     * out of holding or MASTER, and the holding instance never sends an advert except priority 0 on shutdown.
     */
    @Test
    void randomInputsNeverRemoveTheVipsWhileHoldingOrMaster() {
        Random r = new Random(42);
        InetAddress[] from = {LOWER_ADDR, HIGHER_ADDR, ME};
        for (int run = 0; run < 2000; run++) {
            boolean preempt = r.nextBoolean();
            int ours = 1 + r.nextInt(255);
            VrrpStateMachine m = holding(VrrpSettings.of("VI_1", 2, ours, S, ME)
                    .withInitialMaster(ours != 255 && r.nextBoolean())
                    .withPreempt(preempt, r.nextInt(4) == 0 ? 2 * S : 0));
            long t = T0;
            boolean held = true; // the VIPs are on the interface
            for (int step = 0; step < 12 && m.state() != VrrpState.STOP; step++) {
                boolean wasHolding = m.holdingVirtualIps();
                t += r.nextInt(1500) * MS;
                List<VrrpAction> a = new ArrayList<>();
                switch (r.nextInt(6)) {
                    case 0, 1 -> a.addAll(m.onAdvert(t, new PeerAdvert(from[r.nextInt(3)], r.nextInt(256), S)));
                    case 2 -> a.addAll(m.setFault(t, r.nextInt(3) == 0));
                    case 3 -> a.addAll(m.setEffectivePriority(t, 1 + r.nextInt(254)));
                    case 4 -> a.addAll(m.shutdown(t));
                    default -> { }
                }
                while (m.nextDeadlineNanos() <= t) {
                    a.addAll(m.onTimer(m.nextDeadlineNanos()));
                }
                if (wasHolding) {
                    assertThat(a).filteredOn(x -> x instanceof VrrpAction.SendAdvert s && s.priority() != 0)
                            .as("holding: no advert until MASTER").allMatch(x -> m.state() == VrrpState.MASTER);
                }
                for (VrrpAction x : a) {
                    if (x instanceof VrrpAction.RemoveVirtualIps) {
                        assertThat(held).as("removed only when held").isTrue();
                        held = false;
                    } else if (x instanceof VrrpAction.AddVirtualIps) {
                        held = true;
                    }
                }
                boolean shouldHold = m.holdingVirtualIps() || m.state() == VrrpState.MASTER;
                assertThat(held).as("run %d step %d: %s holds the VIPs iff holding or MASTER", run, step, m)
                        .isEqualTo(shouldHold);
            }
        }
    }

    // ---------------------------------------------------------------- sync groups

    static VrrpStateMachine member(String name, int prio, boolean keep) {
        VrrpStateMachine m = new VrrpStateMachine(VrrpSettings.of(name, 2, prio, S, ME));
        if (keep) {
            m.keepVirtualIpsAtStart();
        }
        return m;
    }

    @Test
    void groupOfHoldingMembersGoesMasterTogetherWithoutRemovingTheVips() {
        VrrpStateMachine a = member("VI_A", 150, true);
        VrrpStateMachine b = member("VI_B", 100, true);
        SyncGroupCoordinator g = new SyncGroupCoordinator("G1", List.of(a, b));
        g.start(T0);
        assertThat(a.holdingVirtualIps()).isTrue();
        assertThat(b.holdingVirtualIps()).isTrue();
        long first = a.nextDeadlineNanos(); // the higher priority's window ends first
        assertThat(first).isLessThan(b.nextDeadlineNanos());
        SyncGroupCoordinator.SyncResult r = g.dispatch(first, a, m -> m.onTimer(first));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(r.actions().values().stream().flatMap(List::stream))
                .doesNotContain(new VrrpAction.RemoveVirtualIps());
        assertThat(SyncGroupCoordinatorTest.logs(r)).contains("VRRP_Group(G1) Syncing instances to MASTER state");
        assertThat(g.groupState()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void groupMemberHearingAHigherMasterMakesTheOthersReleaseAtTheirWindowEnd() {
        VrrpStateMachine a = member("VI_A", 150, true);
        VrrpStateMachine b = member("VI_B", 100, true);
        SyncGroupCoordinator g = new SyncGroupCoordinator("G1", List.of(a, b));
        g.start(T0);
        g.dispatch(T0 + S, b, m -> m.onAdvert(T0 + S, new PeerAdvert(HIGHER_ADDR, 200, S)));
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        long end = a.nextDeadlineNanos();
        SyncGroupCoordinator.SyncResult r = g.dispatch(end, a, m -> m.onTimer(end));
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(r.of(a)).contains(new VrrpAction.RemoveVirtualIps());
        assertThat(logs(r.of(a))).contains("VRRP_Instance(VI_A) sync group is not MASTER - releasing its VIPs");
        assertThat(g.groupState()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void groupWithOneHoldingAndOneCleanMemberEndsMaster() {
        VrrpStateMachine a = member("VI_A", 150, true);
        VrrpStateMachine b = member("VI_B", 100, false);
        SyncGroupCoordinator g = new SyncGroupCoordinator("G1", List.of(a, b));
        g.start(T0);
        assertThat(a.holdingVirtualIps()).isTrue();
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        long t = T0;
        for (int i = 0; i < 10 && !(a.state() == VrrpState.MASTER && b.state() == VrrpState.MASTER); i++) {
            VrrpStateMachine next = a.nextDeadlineNanos() <= b.nextDeadlineNanos() ? a : b;
            long d = next.nextDeadlineNanos();
            g.dispatch(d, next, m -> m.onTimer(d));
            t = d;
        }
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(t).isLessThan(T0 + 5 * S);
    }
}
