package io.javalived.vrrp.state;

import static io.javalived.vrrp.state.VrrpStateMachineTest.HIGHER_ADDR;
import static io.javalived.vrrp.state.VrrpStateMachineTest.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The steady state of the VRRP threads allocates nothing (issue 13 item 8: an allocation can stall a thread on a full
 * heap): a MASTER's periodic advert and a BACKUP hearing its master. Measured with the JVM's per-thread allocation
 * counter around many iterations (not timed): less than one byte per iteration means no object per advert.
 */
class SteadyStateAllocationTest {
    private static final int N = 20_000;

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void masterAdvertsAllocateNothing() {
        VrrpStateMachine m = VrrpStateMachineTest.master(VrrpStateMachineTest.v3(200, 100 * MS));
        long sent = 0;
        for (int round = 0; round < 2; round++) { // the first round warms up (class loading, the priority's list)
            long before = allocated();
            for (int i = 0; i < N; i++) {
                List<VrrpAction> a = m.onTimer(m.advertDeadlineNanos());
                sent += a.size();
            }
            long bytes = allocated() - before;
            if (round == 1) {
                assertThat(bytes).as("bytes allocated by " + N + " periodic adverts").isLessThan(N);
            }
        }
        assertThat(sent).isEqualTo(2L * N);
        assertThat(m.state()).isEqualTo(VrrpState.MASTER);
        assertThat(m.onTimer(m.advertDeadlineNanos())).containsExactly(new VrrpAction.SendAdvert(200));
    }

    @Test
    void backupHearingItsMasterAllocatesNothing() {
        VrrpStateMachine m = VrrpStateMachineTest.backup(VrrpStateMachineTest.v3(100, 100 * MS));
        PeerAdvert master = new PeerAdvert(HIGHER_ADDR, 200, 100 * MS);
        long t = VrrpStateMachineTest.T0;
        long actions = 0;
        for (int round = 0; round < 2; round++) {
            long before = allocated();
            for (int i = 0; i < N; i++) {
                t += 100 * MS;
                actions += m.onAdvert(t, master).size();
            }
            long bytes = allocated() - before;
            if (round == 1) {
                assertThat(bytes).as("bytes allocated by " + N + " adverts received").isLessThan(N);
            }
        }
        assertThat(actions).isZero();
        assertThat(m.state()).isEqualTo(VrrpState.BACKUP);
        assertThat(m.lastMasterAddress()).isEqualTo(HIGHER_ADDR);
        assertThat(m.masterDownDeadlineNanos()).isGreaterThan(t);
    }
}
