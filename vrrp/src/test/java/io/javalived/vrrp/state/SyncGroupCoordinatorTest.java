package io.javalived.vrrp.state;

import static io.javalived.vrrp.state.VrrpStateMachineTest.HIGHER_ADDR;
import static io.javalived.vrrp.state.VrrpStateMachineTest.ME;
import static io.javalived.vrrp.state.VrrpStateMachineTest.S;
import static io.javalived.vrrp.state.VrrpStateMachineTest.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SyncGroupCoordinatorTest {
    VrrpStateMachine a;
    VrrpStateMachine b;
    SyncGroupCoordinator g;

    @BeforeEach
    void setUp() {
        a = new VrrpStateMachine(VrrpSettings.of("VI_A", 2, 150, S, ME));
        b = new VrrpStateMachine(VrrpSettings.of("VI_B", 2, 100, S, ME));
        g = new SyncGroupCoordinator("G1", List.of(a, b));
    }

    static List<String> logs(SyncGroupCoordinator.SyncResult r) {
        return r.actions().values().stream().flatMap(List::stream).filter(x -> x instanceof VrrpAction.Log)
                .map(x -> ((VrrpAction.Log) x).message()).toList();
    }

    static boolean has(List<VrrpAction> l, VrrpAction x) {
        return l.contains(x);
    }

    /** Drives both members' timers up to {@code t}; returns the last result. */
    SyncGroupCoordinator.SyncResult runUntil(long t) {
        SyncGroupCoordinator.SyncResult last = null;
        while (true) {
            VrrpStateMachine next = a.nextDeadlineNanos() <= b.nextDeadlineNanos() ? a : b;
            long d = next.nextDeadlineNanos();
            if (d > t) {
                return last;
            }
            last = g.dispatch(d, next, m -> m.onTimer(d));
        }
    }

    void bothMaster() {
        g.start(T0);
        runUntil(T0 + 5 * S);
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void startsTogether() {
        SyncGroupCoordinator.SyncResult r = g.start(T0);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(r.groupChange()).isEqualTo(new SyncGroupCoordinator.GroupChange(VrrpState.INIT, VrrpState.BACKUP));
        assertThat(r.of(a)).hasSize(1);
        assertThat(r.of(b)).hasSize(1);
        assertThat(g.groupState()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void firstMemberToTimeOutWaitsForTheOthersThenAllBecomeMaster() {
        g.start(T0);
        long da = a.nextDeadlineNanos(); // prio 150: earlier
        long db = b.nextDeadlineNanos();
        assertThat(da).isLessThan(db);
        SyncGroupCoordinator.SyncResult r = g.dispatch(da, a, m -> m.onTimer(da));
        assertThat(r.actions()).isEmpty();
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(a.wantsMaster()).isTrue();
        assertThat(a.nextDeadlineNanos()).isEqualTo(da + a.masterDownIntervalNanos());
        r = g.dispatch(db, b, m -> m.onTimer(db));
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(r.of(b)).contains(new VrrpAction.SendAdvert(100), new VrrpAction.AddVirtualIps());
        assertThat(r.of(a)).contains(new VrrpAction.SendAdvert(150), new VrrpAction.AddVirtualIps());
        assertThat(r.of(a).stream().filter(x -> x instanceof VrrpAction.StateChanged).findFirst().orElseThrow())
                .isEqualTo(new VrrpAction.StateChanged(VrrpState.BACKUP, VrrpState.MASTER, TransitionReason.SYNC_GROUP,
                        "VRRP_Instance(VI_A) Entering MASTER STATE"));
        assertThat(logs(r)).contains("VRRP_Group(G1) Syncing instances to MASTER state");
        assertThat(r.groupChange()).isEqualTo(new SyncGroupCoordinator.GroupChange(VrrpState.BACKUP, VrrpState.MASTER));
        assertThat(List.copyOf(r.actions().keySet())).as("origin first").containsExactly(b, a);
    }

    @Test
    void anAdvertForOneMemberKeepsTheWholeGroupBackup() {
        g.start(T0);
        long da = a.nextDeadlineNanos();
        g.dispatch(da, a, m -> m.onTimer(da)); // a wants master, held
        // a hears the real master again: a no longer wants master, so b's timeout cannot take the group
        g.dispatch(da + S, a, m -> m.onAdvert(da + S, new PeerAdvert(HIGHER_ADDR, 200, S)));
        assertThat(a.wantsMaster()).isFalse();
        long db = b.nextDeadlineNanos();
        g.dispatch(db, b, m -> m.onTimer(db));
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void oneMemberSteppingDownTakesTheOthersToBackup() {
        bothMaster();
        long t = T0 + 6 * S;
        SyncGroupCoordinator.SyncResult r = g.dispatch(t, b, m -> m.onAdvert(t, new PeerAdvert(HIGHER_ADDR, 200, S)));
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(r.of(a)).contains(new VrrpAction.RemoveVirtualIps());
        assertThat(r.of(a)).doesNotContain(new VrrpAction.SendAdvert(0));
        assertThat(logs(r)).contains("VRRP_Group(G1) Syncing instances to BACKUP state");
        assertThat(r.groupChange()).isEqualTo(new SyncGroupCoordinator.GroupChange(VrrpState.MASTER, VrrpState.BACKUP));
    }

    @Test
    void oneMemberFaultTakesTheGroupToFaultUntilAllFaultsClear() {
        bothMaster();
        long t = T0 + 6 * S;
        SyncGroupCoordinator.SyncResult r = g.dispatch(t, a, m -> m.setFault(t, true));
        assertThat(a.state()).isEqualTo(VrrpState.FAULT);
        assertThat(b.state()).isEqualTo(VrrpState.FAULT);
        assertThat(r.of(a)).contains(new VrrpAction.SendAdvert(0), new VrrpAction.RemoveVirtualIps());
        assertThat(r.of(b)).contains(new VrrpAction.SendAdvert(0), new VrrpAction.RemoveVirtualIps());
        assertThat(logs(r)).contains("VRRP_Group(G1) Syncing instances to FAULT state");
        assertThat(g.groupState()).isEqualTo(VrrpState.FAULT);
        // b faults too, a recovers: the group stays in FAULT
        g.dispatch(t + S, b, m -> m.setFault(t + S, true));
        g.dispatch(t + 2 * S, a, m -> m.setFault(t + 2 * S, false));
        assertThat(a.state()).isEqualTo(VrrpState.FAULT);
        assertThat(b.state()).isEqualTo(VrrpState.FAULT);
        // b recovers: everybody BACKUP
        r = g.dispatch(t + 3 * S, b, m -> m.setFault(t + 3 * S, false));
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(r.groupChange()).isEqualTo(new SyncGroupCoordinator.GroupChange(VrrpState.FAULT, VrrpState.BACKUP));
        // and they become master together again
        runUntil(t + 10 * S);
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
    }

    @Test
    void faultBeforeStartPutsTheGroupInFault() {
        b.setFault(T0, true);
        SyncGroupCoordinator.SyncResult r = g.start(T0);
        assertThat(a.state()).isEqualTo(VrrpState.FAULT);
        assertThat(b.state()).isEqualTo(VrrpState.FAULT);
        assertThat(r.groupChange().to()).isEqualTo(VrrpState.FAULT);
        g.dispatch(T0 + S, b, m -> m.setFault(T0 + S, false));
        assertThat(a.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(b.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void addressOwnersStartAsMasterTogether() {
        VrrpStateMachine x = new VrrpStateMachine(VrrpSettings.of("VI_X", 2, 255, S, ME).withInitialMaster(true));
        VrrpStateMachine y = new VrrpStateMachine(VrrpSettings.of("VI_Y", 2, 255, S, ME).withInitialMaster(true));
        SyncGroupCoordinator og = new SyncGroupCoordinator("G2", List.of(x, y));
        SyncGroupCoordinator.SyncResult r = og.start(T0);
        assertThat(x.state()).isEqualTo(VrrpState.MASTER);
        assertThat(y.state()).isEqualTo(VrrpState.MASTER);
        assertThat(og.groupState()).isEqualTo(VrrpState.MASTER);
        assertThat(r.of(x)).contains(new VrrpAction.AddVirtualIps());
        assertThat(r.of(y)).contains(new VrrpAction.AddVirtualIps());
    }

    @Test
    void memberConfiguredMasterWaitsOneIntervalPlusMinimalSkew() {
        VrrpStateMachine x = new VrrpStateMachine(VrrpSettings.of("VI_X", 2, 100, S, ME).withInitialMaster(true));
        VrrpStateMachine y = new VrrpStateMachine(VrrpSettings.of("VI_Y", 2, 100, S, ME));
        new SyncGroupCoordinator("G3", List.of(x, y)).start(T0);
        assertThat(x.nextDeadlineNanos()).isEqualTo(T0 + S + 3_906_000L);
        assertThat(y.nextDeadlineNanos()).isEqualTo(T0 + 3 * S + 609_375_000L);
    }

    @Test
    void shutdownOfAMemberDoesNotMoveTheOthers() {
        bothMaster();
        SyncGroupCoordinator.SyncResult r = g.dispatch(T0 + 6 * S, a, m -> m.shutdown(T0 + 6 * S));
        assertThat(a.state()).isEqualTo(VrrpState.STOP);
        assertThat(b.state()).isEqualTo(VrrpState.MASTER);
        assertThat(r.actions().keySet()).containsExactly(a);
    }

    @Test
    void lowerPriorityAdvertRefreshesEveryMastersNeighbours() {
        bothMaster();
        long t = T0 + 6 * S;
        SyncGroupCoordinator.SyncResult r = g.dispatch(t, a, m -> m.onAdvert(t, new PeerAdvert(HIGHER_ADDR, 20, S)));
        VrrpAction garp = new VrrpAction.SendGratuitous(5, VrrpAction.GratuitousCause.LOWER_PRIORITY);
        assertThat(r.of(a)).contains(garp);
        assertThat(r.of(b)).containsExactly(garp);
        // and again after garp_lower_prio_delay (5 s)
        boolean again = false;
        for (long d = b.nextDeadlineNanos(); d <= t + 5 * S; d = b.nextDeadlineNanos()) {
            long now = d;
            again |= g.dispatch(now, b, m -> m.onTimer(now)).of(b).contains(garp);
        }
        assertThat(again).isTrue();
    }

    @Test
    void aStoppedMemberDoesNotHoldTheOthersInBackup() {
        g.start(T0);
        g.dispatch(T0 + S, b, m -> m.shutdown(T0 + S));
        runUntil(T0 + 10 * S);
        assertThat(a.state()).isEqualTo(VrrpState.MASTER);
        assertThat(b.state()).isEqualTo(VrrpState.STOP);
    }

    @Test
    void threeMembersFollowEachOther() {
        VrrpStateMachine x = new VrrpStateMachine(VrrpSettings.of("VI_X", 3, 200, 100 * 1_000_000L, ME));
        VrrpStateMachine y = new VrrpStateMachine(VrrpSettings.of("VI_Y", 3, 150, 100 * 1_000_000L, ME));
        VrrpStateMachine z = new VrrpStateMachine(VrrpSettings.of("VI_Z", 2, 100, S, ME));
        List<VrrpStateMachine> all = List.of(x, y, z);
        SyncGroupCoordinator tg = new SyncGroupCoordinator("G3", all);
        tg.start(T0);
        long t = T0;
        for (int i = 0; i < 100 && !all.stream().allMatch(m -> m.state() == VrrpState.MASTER); i++) {
            VrrpStateMachine next = all.stream().min(java.util.Comparator.comparingLong(
                    VrrpStateMachine::nextDeadlineNanos)).orElseThrow();
            long d = next.nextDeadlineNanos();
            // x and y must not become master before z (slowest) wants to
            tg.dispatch(d, next, m -> m.onTimer(d));
            if (d < T0 + z.masterDownIntervalNanos()) {
                assertThat(all).allSatisfy(m -> assertThat(m.state()).isEqualTo(VrrpState.BACKUP));
            }
            t = d;
        }
        assertThat(all).allSatisfy(m -> assertThat(m.state()).isEqualTo(VrrpState.MASTER));
        assertThat(t).isEqualTo(T0 + z.masterDownIntervalNanos());
        // y hears a higher priority router: everybody to BACKUP, nobody sends priority 0
        long t2 = t + 50 * 1_000_000L;
        SyncGroupCoordinator.SyncResult r = tg.dispatch(t2, y, m -> m.onAdvert(t2, new PeerAdvert(HIGHER_ADDR, 254,
                100 * 1_000_000L)));
        assertThat(all).allSatisfy(m -> assertThat(m.state()).isEqualTo(VrrpState.BACKUP));
        assertThat(r.actions().values().stream().flatMap(List::stream)).doesNotContain(new VrrpAction.SendAdvert(0));
        // z faults: all FAULT, masters were none, so nothing is sent at all
        r = tg.dispatch(t2 + 1, z, m -> m.setFault(t2 + 1, true));
        assertThat(all).allSatisfy(m -> assertThat(m.state()).isEqualTo(VrrpState.FAULT));
        assertThat(r.actions().values().stream().flatMap(List::stream)
                .filter(a -> a instanceof VrrpAction.SendAdvert)).isEmpty();
        tg.dispatch(t2 + 2, z, m -> m.setFault(t2 + 2, false));
        assertThat(all).allSatisfy(m -> assertThat(m.state()).isEqualTo(VrrpState.BACKUP));
    }

    @Test
    void rejectsStrangersAndEmptyGroups() {
        VrrpStateMachine z = new VrrpStateMachine(VrrpSettings.of("VI_Z", 2, 100, S, ME));
        assertThatThrownBy(() -> g.dispatch(T0, z, m -> m.onTimer(T0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SyncGroupCoordinator("E", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
