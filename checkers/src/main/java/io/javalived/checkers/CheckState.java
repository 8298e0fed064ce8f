package io.javalived.checkers;

/**
 * The verdict state machine of one checker, as keepalived's checker epilog, plus rise/fall. Pure: no clock, no I/O.
 *
 * <p>keepalived: a success, or a failure with no retry left, is a <em>verdict</em>; the next check is then
 * delay_loop later and the retry count resets. A failure with retries left is retried after delay_before_retry. A
 * success verdict brings the checker up if it was down (or had never run); a failure verdict brings it down if it
 * was up (or had never run). javalived adds: {@code rise} consecutive success verdicts are needed to go up,
 * {@code fall} consecutive failure verdicts to go down (both 1 = keepalived).
 */
public final class CheckState {
    /** What the caller should do after an attempt. */
    public enum Transition { NONE, UP, DOWN }

    /**
     * @param transition  the checker's state change, if any
     * @param retry       true: schedule the next attempt after delay_before_retry; false: after delay_loop
     * @param verdict     true when this attempt ended a series (success, or failure with retries exhausted)
     * @param retriesUsed for a verdict: how many retries were made before it
     * @param logVerdict  keepalived logs this verdict (a state change, or the very first verdict)
     */
    public record Step(Transition transition, boolean retry, boolean verdict, int retriesUsed, boolean logVerdict) {}

    private final int retry;
    private final int rise;
    private final int fall;
    private boolean up;
    private boolean hasRun;
    private int retryIt;
    private int okStreak;
    private int failStreak;

    public CheckState(int retry, int rise, int fall, boolean alpha) {
        if (retry < 0 || rise < 1 || fall < 1) throw new IllegalArgumentException("retry >= 0, rise/fall >= 1");
        this.retry = retry;
        this.rise = rise;
        this.fall = fall;
        this.up = !alpha;
    }

    public static CheckState of(CheckTiming t) {
        return new CheckState(t.retry(), t.rise(), t.fall(), t.alpha());
    }

    public boolean isUp() {
        return up;
    }

    public boolean hasRun() {
        return hasRun;
    }

    public int retryIt() {
        return retryIt;
    }

    /** Feed the outcome of one attempt. */
    public Step onAttempt(boolean success) {
        if (!success && retryIt < retry) {
            retryIt++;
            return RETRY;
        }
        int used = retryIt;
        retryIt = 0;
        boolean first = !hasRun;
        hasRun = true;
        Transition t = Transition.NONE;
        if (success) {
            failStreak = 0;
            okStreak++;
            if (!up && okStreak >= rise) {
                up = true;
                t = Transition.UP;
            }
        } else {
            okStreak = 0;
            failStreak++;
            if (up && failStreak >= fall) {
                up = false;
                t = Transition.DOWN;
            }
        }
        boolean log = t != Transition.NONE || first;
        return t == Transition.NONE && used == 0 && !log ? STEADY : new Step(t, false, true, used, log);
    }

    /** The two steps of nearly every attempt, shared (no object per check). */
    private static final Step RETRY = new Step(Transition.NONE, true, false, 0, false);
    private static final Step STEADY = new Step(Transition.NONE, false, true, 0, false);
}
