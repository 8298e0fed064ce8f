package io.javalived.checkers;

import static io.javalived.checkers.CheckState.Transition.DOWN;
import static io.javalived.checkers.CheckState.Transition.NONE;
import static io.javalived.checkers.CheckState.Transition.UP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CheckStateTest {
    @Test
    void startsUpWithoutAlphaAndDownWithAlpha() {
        assertThat(new CheckState(1, 1, 1, false).isUp()).isTrue();
        assertThat(new CheckState(1, 1, 1, true).isUp()).isFalse();
    }

    @Test
    void firstSuccessIsLoggedButNoTransitionWhenAlreadyUp() {
        CheckState s = new CheckState(0, 1, 1, false);
        CheckState.Step st = s.onAttempt(true);
        assertThat(st).isEqualTo(new CheckState.Step(NONE, false, true, 0, true));
        assertThat(s.onAttempt(true).logVerdict()).isFalse();
    }

    @Test
    void alphaComesUpOnFirstSuccess() {
        CheckState s = new CheckState(2, 1, 1, true);
        assertThat(s.onAttempt(true).transition()).isEqualTo(UP);
        assertThat(s.isUp()).isTrue();
    }

    @Test
    void retriesBeforeGoingDownThenResets() {
        CheckState s = new CheckState(2, 1, 1, false);
        CheckState.Step a = s.onAttempt(false);
        assertThat(a.retry()).isTrue();
        assertThat(a.verdict()).isFalse();
        assertThat(s.retryIt()).isEqualTo(1);
        assertThat(s.onAttempt(false).retry()).isTrue();
        CheckState.Step c = s.onAttempt(false);
        assertThat(c).isEqualTo(new CheckState.Step(DOWN, false, true, 2, true));
        assertThat(s.isUp()).isFalse();
        assertThat(s.retryIt()).isZero();
        // down and failing: retries again each loop, no new transition
        assertThat(s.onAttempt(false).retry()).isTrue();
        assertThat(s.onAttempt(false).retry()).isTrue();
        assertThat(s.onAttempt(false)).isEqualTo(new CheckState.Step(NONE, false, true, 2, false));
    }

    @Test
    void successDuringRetriesResetsTheCount() {
        CheckState s = new CheckState(3, 1, 1, false);
        s.onAttempt(false);
        s.onAttempt(false);
        assertThat(s.retryIt()).isEqualTo(2);
        CheckState.Step st = s.onAttempt(true);
        assertThat(st.transition()).isEqualTo(NONE);
        assertThat(st.retry()).isFalse();
        assertThat(s.retryIt()).isZero();
        assertThat(s.isUp()).isTrue();
    }

    @Test
    void retryZeroGoesDownOnFirstFailure() {
        CheckState s = new CheckState(0, 1, 1, false);
        assertThat(s.onAttempt(false).transition()).isEqualTo(DOWN);
        assertThat(s.onAttempt(true).transition()).isEqualTo(UP);
    }

    @Test
    void fallNeedsConsecutiveFailedVerdicts() {
        CheckState s = new CheckState(0, 1, 3, false);
        assertThat(s.onAttempt(false).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(false).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(true).transition()).isEqualTo(NONE); // streak broken
        assertThat(s.onAttempt(false).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(false).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(false).transition()).isEqualTo(DOWN);
    }

    @Test
    void riseNeedsConsecutiveSuccessVerdicts() {
        CheckState s = new CheckState(0, 3, 1, true);
        assertThat(s.onAttempt(true).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(true).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(false).transition()).isEqualTo(NONE); // streak broken, still down
        assertThat(s.onAttempt(true).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(true).transition()).isEqualTo(NONE);
        assertThat(s.onAttempt(true).transition()).isEqualTo(UP);
    }

    @Test
    void fallCountsVerdictsNotAttempts() {
        CheckState s = new CheckState(1, 1, 2, false);
        assertThat(s.onAttempt(false).verdict()).isFalse(); // retry
        assertThat(s.onAttempt(false).transition()).isEqualTo(NONE); // verdict 1 of 2
        assertThat(s.onAttempt(false).verdict()).isFalse(); // retry
        assertThat(s.onAttempt(false).transition()).isEqualTo(DOWN); // verdict 2 of 2
    }

    @Test
    void rejectsBadParameters() {
        assertThatThrownBy(() -> new CheckState(-1, 1, 1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckState(0, 0, 1, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CheckState(0, 1, 0, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void exhaustiveAgainstAReferenceModel() {
        // Every sequence of 10 outcomes for retry 0..2, rise/fall 1..3, alpha on/off, checked against a simple model.
        for (int retry = 0; retry <= 2; retry++)
            for (int rise = 1; rise <= 3; rise++)
                for (int fall = 1; fall <= 3; fall++)
                    for (boolean alpha : new boolean[] {false, true})
                        for (int bits = 0; bits < 1 << 10; bits++) {
                            CheckState s = new CheckState(retry, rise, fall, alpha);
                            boolean up = !alpha;
                            int retryIt = 0, ok = 0, bad = 0;
                            for (int i = 0; i < 10; i++) {
                                boolean succ = (bits >> i & 1) == 1;
                                CheckState.Step st = s.onAttempt(succ);
                                if (!succ && retryIt < retry) {
                                    retryIt++;
                                    assertThat(st.retry()).isTrue();
                                    continue;
                                }
                                retryIt = 0;
                                CheckState.Transition want = NONE;
                                if (succ) {
                                    bad = 0;
                                    ok++;
                                    if (!up && ok >= rise) { up = true; want = UP; }
                                } else {
                                    ok = 0;
                                    bad++;
                                    if (up && bad >= fall) { up = false; want = DOWN; }
                                }
                                assertThat(st.transition()).isEqualTo(want);
                                assertThat(st.retry()).isFalse();
                                assertThat(s.isUp()).isEqualTo(up);
                            }
                        }
    }
}
