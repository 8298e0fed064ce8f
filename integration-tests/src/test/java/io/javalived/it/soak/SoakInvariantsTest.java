package io.javalived.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.soak.SoakInvariants.ProcSample;
import io.javalived.it.soak.SoakInvariants.Request;
import io.javalived.it.soak.SoakInvariants.Sample;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SoakInvariantsTest {
    static final Map<Integer, Integer> ALL = Map.of(1, 150, 2, 120, 3, 100);

    private final SoakInvariants inv = new SoakInvariants(5000, 1000, 4, 8);

    private static Sample at(long t, Set<Integer> holders, Map<Integer, Integer> live, Map<Integer, Long> down) {
        return new Sample(t, holders, live, down);
    }

    @Test
    void aConvergedLabPassesEveryCheck() {
        inv.sample(at(100, Set.of(1), ALL, Map.of()));
        inv.request(new Request(100, true, "node1"));
        inv.evaluate();
        assertThat(inv.violations()).isEmpty();
        assertThat(inv.checks()).containsEntry(SoakInvariants.ONE_HOLDER, 1L).containsEntry(SoakInvariants.HIGHEST, 1L)
                .containsEntry(SoakInvariants.STALE, 1L).containsEntry(SoakInvariants.REQUESTS, 1L);
    }

    @Test
    void twoHoldersOutsideAWindowAreAViolationAndInsideOneNot() {
        int w = inv.open(1000, "BLOCK_VRRP 1<->2");
        inv.sample(at(2000, Set.of(1, 2), ALL, Map.of())); // during the block: split brain expected
        inv.close(w, 11_000);
        inv.sample(at(15_000, Set.of(1, 2), ALL, Map.of())); // within settle (5 s) of the heal
        inv.sample(at(16_500, Set.of(1, 2), ALL, Map.of())); // past it
        inv.evaluate();
        assertThat(inv.violations()).hasSize(2).allMatch(v -> v.contains("t=16500"));
        assertThat(inv.violations().get(0)).startsWith(SoakInvariants.ONE_HOLDER);
        assertThat(inv.violations().get(1)).startsWith(SoakInvariants.HIGHEST);
    }

    @Test
    void theHighestPriorityLiveNodeMustHoldTheVip() {
        inv.sample(at(100, Set.of(2), ALL, Map.of()));
        inv.sample(at(200, Set.of(2), Map.of(2, 120, 3, 100), Map.of(1, 0L))); // node 1 stopped: 2 is right
        inv.sample(at(300, Set.of(), ALL, Map.of())); // nobody
        inv.evaluate();
        assertThat(inv.violations()).hasSize(2);
        assertThat(inv.violations().get(0)).contains("t=100").contains("node 1 should hold it");
        assertThat(inv.violations().get(1)).contains("t=300");
    }

    @Test
    void aStoppedNodeMustDropItsVipEvenInsideItsWindow() {
        inv.open(0, "SIGTERM_RESTART node 1");
        inv.sample(at(500, Set.of(1, 2), Map.of(2, 120, 3, 100), Map.of(1, 0L))); // within the grace
        inv.sample(at(1500, Set.of(1, 2), Map.of(2, 120, 3, 100), Map.of(1, 0L))); // stale
        inv.evaluate();
        assertThat(inv.violations()).singleElement().asString().startsWith(SoakInvariants.STALE)
                .contains("node 1 holds the VIP 1500 ms");
        assertThat(inv.checks()).containsEntry(SoakInvariants.STALE, 2L).containsEntry(SoakInvariants.ONE_HOLDER, 0L);
    }

    @Test
    void aLostRequestCountsOnlyOutsideWindowsAndSettle() {
        int w = inv.open(1000, "KILL9_RESTART node 1");
        inv.close(w, 3000);
        inv.request(new Request(2000, false, "timed out"));
        inv.request(new Request(7999, false, "timed out"));
        inv.request(new Request(8001, false, "connection refused"));
        inv.request(new Request(500, false, "reset"));
        inv.evaluate();
        assertThat(inv.violations()).hasSize(2);
        assertThat(inv.violations().get(0)).contains("t=8001").contains("KILL9_RESTART node 1");
        assertThat(inv.violations().get(1)).contains("t=500").contains("last fault before: null");
    }

    @Test
    void aHealedSplitBrainGivesRequestsTheNeighbourGraceButNotTheHolderChecks() {
        int w = inv.open(1000, "BLOCK_VRRP 1<->2", 10_000);
        inv.close(w, 11_000);
        inv.request(new Request(20_000, false, "timed out")); // 9 s past settle: within the grace
        inv.request(new Request(26_500, false, "timed out")); // past it
        inv.sample(at(20_000, Set.of(1, 2), ALL, Map.of())); // the holders are checked after settle alone
        inv.evaluate();
        assertThat(inv.violations()).hasSize(3);
        assertThat(inv.violations().get(0)).startsWith(SoakInvariants.ONE_HOLDER).contains("t=20000");
        assertThat(inv.violations().get(2)).startsWith(SoakInvariants.REQUESTS).contains("t=26500");
    }

    @Test
    void stackTracesInALogAreViolations() {
        inv.log("n1-1", "Sat ... VRRP_Instance(VI_1) Entering MASTER STATE\nReload failed, keeping the running "
                + "configuration: line 3: unknown\n");
        inv.log("n1-2", "something\njava.lang.IllegalStateException: boom\n\tat io.javalived.vrrp.X.y(X.java:12)\n");
        inv.log("n2-1", "Exception in thread \"main\" java.lang.Error\n");
        assertThat(inv.violations()).hasSize(2);
        assertThat(inv.violations().get(0)).contains("n1-2").contains("IllegalStateException: boom");
        assertThat(inv.checks()).containsEntry(SoakInvariants.STACK, 3L);
    }

    @Test
    void threadsAndFdsMayNotGrowBeyondTheSlackOverTheFirstReload() {
        inv.proc(new ProcSample("n1 pid 10", 1, 30, 40));
        inv.proc(new ProcSample("n1 pid 10", 2, 34, 48)); // within the slack
        inv.proc(new ProcSample("n1 pid 10", 3, 35, 48)); // one thread too many
        inv.proc(new ProcSample("n1 pid 11", 1, 60, 90)); // another daemon: its own baseline
        inv.proc(new ProcSample("n1 pid 11", 2, 60, 99)); // one fd too many
        assertThat(inv.violations()).hasSize(2);
        assertThat(inv.violations().get(0)).contains("pid 10").contains("35 threads");
        assertThat(inv.violations().get(1)).contains("pid 11").contains("99 fds");
        assertThat(inv.checks()).containsEntry(SoakInvariants.GROWTH, 5L);
    }

    @Test
    void theReportCountsChecksAndListsViolations() {
        inv.check("broken reload rejected", true, "n1");
        inv.check("broken reload rejected", false, "n2 died");
        assertThat(inv.report()).contains("broken reload rejected").contains("2 checks")
                .contains("VIOLATION broken reload rejected: n2 died");
    }
}
