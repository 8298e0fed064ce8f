package io.javalived.director.anycast;

import static io.javalived.director.anycast.AnycastAnnouncer.Change.ANNOUNCE;
import static io.javalived.director.anycast.AnycastAnnouncer.Change.NONE;
import static io.javalived.director.anycast.AnycastAnnouncer.Change.WITHDRAW;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnycastAnnouncerTest {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    final AnycastAnnouncer a = new AnycastAnnouncer(Duration.ofSeconds(3), Duration.ofSeconds(1));

    @Test
    void announcedOnlyAfterQuorumHeldForMinUp() {
        assertThat(a.update(true, at(0))).isEqualTo(NONE);
        assertThat(a.nextChange()).isEqualTo(at(3));
        assertThat(a.update(true, at(2.9))).isEqualTo(NONE);
        assertThat(a.update(true, at(3))).isEqualTo(ANNOUNCE);
        assertThat(a.announced()).isTrue();
        assertThat(a.update(true, at(10))).isEqualTo(NONE);
        assertThat(a.nextChange()).isNull();
    }

    @Test
    void withdrawnAfterQuorumLostForHoldDown() {
        a.update(true, at(0));
        a.update(true, at(3));
        assertThat(a.update(false, at(5))).isEqualTo(NONE);
        assertThat(a.nextChange()).isEqualTo(at(6));
        assertThat(a.update(false, at(5.9))).isEqualTo(NONE);
        assertThat(a.update(false, at(6))).isEqualTo(WITHDRAW);
        assertThat(a.announced()).isFalse();
        assertThat(a.announcedSince()).isEqualTo(at(6));
    }

    @Test
    void aFlappingBackendSetDoesNotFlapTheRoute() {
        a.update(true, at(0));
        assertThat(a.update(true, at(3))).isEqualTo(ANNOUNCE);
        // down and up again faster than hold_down: stays announced
        for (int i = 0; i < 20; i++) {
            assertThat(a.update(false, at(4 + i))).isEqualTo(NONE);
            assertThat(a.update(true, at(4.5 + i))).isEqualTo(NONE);
        }
        assertThat(a.announced()).isTrue();
        // withdrawn: up and down again faster than min_up: stays withdrawn
        assertThat(a.update(false, at(30))).isEqualTo(NONE);
        assertThat(a.update(false, at(31))).isEqualTo(WITHDRAW);
        for (int i = 0; i < 20; i++) {
            assertThat(a.update(true, at(32 + 2 * i))).isEqualTo(NONE);
            assertThat(a.update(false, at(34 + 2 * i - 0.1))).isEqualTo(NONE);
        }
        assertThat(a.announced()).isFalse();
        assertThat(a.update(true, at(100))).isEqualTo(NONE);
        assertThat(a.update(true, at(103))).isEqualTo(ANNOUNCE);
    }

    @Test
    void startingWithoutQuorumNeverAnnouncesAndStopWithdraws() {
        assertThat(a.update(false, at(0))).isEqualTo(NONE);
        assertThat(a.update(false, at(100))).isEqualTo(NONE);
        assertThat(a.stop(at(100))).isFalse();
        AnycastAnnouncer b = new AnycastAnnouncer(Duration.ZERO, Duration.ZERO);
        assertThat(b.update(true, at(0))).isEqualTo(ANNOUNCE);
        assertThat(b.stop(at(1))).isTrue();
        assertThat(b.announced()).isFalse();
    }
}
