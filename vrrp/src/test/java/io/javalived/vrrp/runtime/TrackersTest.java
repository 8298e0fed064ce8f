package io.javalived.vrrp.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrackersTest {
    @Test
    void weightsAsKeepalivedAppliesThem() {
        // positive weight: added while good
        assertThat(Trackers.contribution(10, false, true)).isEqualTo(10);
        assertThat(Trackers.contribution(10, false, false)).isZero();
        // negative weight: subtracted while bad
        assertThat(Trackers.contribution(-20, false, false)).isEqualTo(-20);
        assertThat(Trackers.contribution(-20, false, true)).isZero();
        // reverse flips the sign of the effect
        assertThat(Trackers.contribution(10, true, true)).isEqualTo(-10);
        assertThat(Trackers.contribution(-20, true, false)).isEqualTo(20);
        // weight 0 never changes the priority (it means FAULT instead)
        assertThat(Trackers.contribution(0, false, false)).isZero();
    }
}
