package io.javalived.vrrp.track;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RiseFallTest {
    @Test
    void fallConsecutiveFailuresMakeItBadAndRiseSuccessesGood() {
        ScriptTracker.RiseFall rf = new ScriptTracker.RiseFall(2, 3, true);
        assertThat(rf.record(false)).isNull();
        assertThat(rf.record(false)).isNull();
        assertThat(rf.record(true)).as("a success resets the failure count").isNull();
        assertThat(rf.record(false)).isNull();
        assertThat(rf.record(false)).isNull();
        assertThat(rf.record(false)).isFalse();
        assertThat(rf.good()).isFalse();
        assertThat(rf.record(true)).isNull();
        assertThat(rf.record(false)).isNull();
        assertThat(rf.record(true)).isNull();
        assertThat(rf.record(true)).isTrue();
        assertThat(rf.good()).isTrue();
    }

    @Test
    void initFailStartsBadAndOneRiseMakesItGood() {
        ScriptTracker.RiseFall rf = new ScriptTracker.RiseFall(1, 1, false);
        assertThat(rf.good()).isFalse();
        assertThat(rf.record(false)).isNull();
        assertThat(rf.record(true)).isTrue();
        assertThat(rf.record(false)).isFalse();
    }
}
