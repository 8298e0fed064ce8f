package io.javalived.it.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalived.it.soak.SoakSchedule.Fault;
import io.javalived.it.soak.SoakSchedule.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SoakScheduleTest {
    @Test
    void theSameSeedGivesTheSameFaultsAndAnotherSeedOthers() {
        List<Fault> a = SoakSchedule.generate(42, 600_000, 5000, 3000, 8000);
        List<Fault> b = SoakSchedule.generate(42, 600_000, 5000, 3000, 8000);
        List<Fault> c = SoakSchedule.generate(43, 600_000, 5000, 3000, 8000);
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        assertThat(a.get(0).atMillis()).isEqualTo(5000);
    }

    @Test
    void faultsAreSpacedWithinTheRunAndCoverEveryKind() {
        List<Fault> f = SoakSchedule.generate(7, 1_800_000, 5000, 3000, 8000);
        assertThat(f).hasSizeGreaterThan(100);
        EnumSet<Kind> seen = EnumSet.noneOf(Kind.class);
        for (int i = 0; i < f.size(); i++) {
            Fault x = f.get(i);
            seen.add(x.kind());
            assertThat(x.index()).isEqualTo(i + 1);
            assertThat(x.atMillis()).isLessThan(1_800_000);
            if (i > 0) {
                Fault prev = f.get(i - 1);
                assertThat(x.atMillis() - prev.atMillis() - prev.holdMillis()).as(x.toString())
                        .isBetween(3000L, 8000L);
            }
        }
        assertThat(seen).isEqualTo(EnumSet.allOf(Kind.class));
    }

    @Test
    void faultsNeedingJavalivedTargetNodesOneAndTwoAndABlockIsBetweenTwoNodes() {
        for (Fault x : SoakSchedule.generate(11, 1_800_000, 0, 3000, 8000)) {
            switch (x.kind()) {
                case HUP_PRIORITY, HUP_BROKEN, CPU_STARVE -> assertThat(x.node()).as(x.toString()).isIn(1, 2);
                case BLOCK_VRRP -> {
                    assertThat(x.node()).isLessThan(x.peer());
                    assertThat(List.of(x.node(), x.peer())).allMatch(n -> n >= 1 && n <= 3);
                    assertThat(x.holdMillis()).isEqualTo(10_000);
                }
                default -> assertThat(x.node()).isBetween(1, 3);
            }
        }
    }

    @Test
    void reloadedPrioritiesStayDistinctSoOneNodeIsHighest() {
        Map<Integer, Integer> prio = new TreeMap<>(SoakSchedule.START_PRIORITIES);
        int reloads = 0;
        for (Fault x : SoakSchedule.generate(3, 3_600_000, 0, 3000, 8000)) {
            if (x.kind() == Kind.HUP_PRIORITY) {
                assertThat(x.priority()).isNotEqualTo(prio.get(x.node()));
                prio.put(x.node(), x.priority());
                assertThat(prio.values().stream().distinct().count()).as(prio.toString()).isEqualTo(3);
                reloads++;
            }
        }
        assertThat(reloads).isGreaterThan(20);
    }

    @Test
    void settleIsMasterDownPlusThreeAdvertsPlusSlack() {
        // priority 90: 3 s + (256 - 90) / 256 s = 3648 ms; + 3 adverts + 1 s slack
        assertThat(SoakSchedule.masterDownMillis(1000, 90)).isEqualTo(3648);
        assertThat(SoakSchedule.settleMillis(1000, 1000)).isEqualTo(3648 + 3000 + 1000);
    }
}
