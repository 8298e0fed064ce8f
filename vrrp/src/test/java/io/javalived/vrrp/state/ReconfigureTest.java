package io.javalived.vrrp.state;

import static io.javalived.vrrp.state.VrrpStateMachineTest.HIGHER_ADDR;
import static io.javalived.vrrp.state.VrrpStateMachineTest.S;
import static io.javalived.vrrp.state.VrrpStateMachineTest.T0;
import static io.javalived.vrrp.state.VrrpStateMachineTest.backup;
import static io.javalived.vrrp.state.VrrpStateMachineTest.master;
import static io.javalived.vrrp.state.VrrpStateMachineTest.v2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A reload applied to a running machine (keepalived 2.2.7 carries the state over a reload). */
class ReconfigureTest {
    static boolean anyStateChange(List<VrrpAction> a) {
        return a.stream().anyMatch(x -> x instanceof VrrpAction.StateChanged);
    }

    @Test
    void masterKeepsItsStateAndVipsAndAdvertsTheNewPriorityAtOnce() {
        VrrpStateMachine m = master(v2(150));
        List<VrrpAction> a = m.reconfigure(T0, v2(160), 160);
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        assertThat(anyStateChange(a)).isFalse();
        assertThat(a).noneMatch(x -> x instanceof VrrpAction.RemoveVirtualIps || x instanceof VrrpAction.SendAdvert
                && ((VrrpAction.SendAdvert) x).priority() == 0);
        assertThat(a).contains(new VrrpAction.PriorityChanged(150, 160));
        assertThat(m.effectivePriority()).isEqualTo(160);
        assertThat(m.nextDeadlineNanos()).as("the next advert is due now").isEqualTo(T0);
        List<VrrpAction> t = m.onTimer(T0);
        assertThat(t).contains(new VrrpAction.SendAdvert(160));
        assertThat(m.advertDeadlineNanos()).isEqualTo(T0 + S);
    }

    @Test
    void theTrackersWeightIsKeptOnTopOfTheNewBasePriority() {
        VrrpStateMachine m = master(v2(150));
        m.setEffectivePriority(T0, 170); // a track_script of weight 20 is good
        m.reconfigure(T0, v2(100), 120);
        assertThat(m.effectivePriority()).isEqualTo(120);
        assertThat(m.reconfigure(T0, v2(255), 275)).contains(new VrrpAction.PriorityChanged(120, 255));
        assertThat(m.effectivePriority()).as("address owner").isEqualTo(255);
    }

    @Test
    void aMasterWhosePriorityDropsBelowTheBackupsIsPreemptedByTheBackupsNextAdvert() {
        VrrpStateMachine m = master(v2(150));
        m.reconfigure(T0, v2(90), 90);
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        List<VrrpAction> a = m.onAdvert(T0 + S / 2, new PeerAdvert(HIGHER_ADDR, 100, S));
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(a).contains(new VrrpAction.RemoveVirtualIps());
    }

    @Test
    void aBackupRaisedAboveTheMasterPreemptsItAfterMasterDown() {
        VrrpStateMachine m = backup(v2(100));
        m.onAdvert(T0 + S, new PeerAdvert(HIGHER_ADDR, 150, S));
        List<VrrpAction> r = m.reconfigure(T0 + 2 * S, v2(200), 200);
        assertThat(anyStateChange(r)).isFalse();
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        // keepalived restarts a backup's master-down timer on reload
        assertThat(m.masterDownDeadlineNanos()).isEqualTo(T0 + 2 * S + m.masterDownIntervalNanos());
        // the master's lower-priority adverts are now discarded: master-down expires, the backup preempts
        long t = T0 + 3 * S;
        m.onAdvert(t, new PeerAdvert(HIGHER_ADDR, 150, S));
        assertThat(m.masterDownDeadlineNanos()).isEqualTo(T0 + 2 * S + m.masterDownIntervalNanos());
        List<VrrpAction> a = m.onTimer(m.nextDeadlineNanos());
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        assertThat(a).contains(new VrrpAction.SendAdvert(200));
    }

    @Test
    void nopreemptOnReloadKeepsTheBackupBackup() {
        VrrpStateMachine m = backup(v2(100));
        m.reconfigure(T0, v2(200).withPreempt(false, 0), 200);
        for (long t = T0 + S; t < T0 + 20 * S; t += S) {
            m.onAdvert(t, new PeerAdvert(HIGHER_ADDR, 150, S));
            if (m.nextDeadlineNanos() <= t) {
                m.onTimer(t);
            }
        }
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
    }

    @Test
    void aNewAdvertIntervalTakesEffectForTheMaster() {
        VrrpStateMachine m = master(v2(150));
        m.reconfigure(T0, VrrpSettings.of("VI_1", 2, 150, 3 * S, VrrpStateMachineTest.ME), 150);
        m.onTimer(T0);
        assertThat(m.advertDeadlineNanos()).isEqualTo(T0 + 3 * S);
    }

    @Test
    void identityCannotChangeInPlaceAndAStoppedMachineIgnoresIt() {
        VrrpStateMachine m = master(v2(150));
        assertThatThrownBy(() -> m.reconfigure(T0, VrrpSettings.of("VI_1", 3, 150, S, null), 150))
                .isInstanceOf(IllegalArgumentException.class);
        m.shutdown(T0);
        assertThat(m.reconfigure(T0, v2(160), 160)).isEmpty();
        assertThat(m.state()).isEqualTo(VrrpState.STOP);
    }
}
