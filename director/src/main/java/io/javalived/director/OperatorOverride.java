package io.javalived.director;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * An operator's override of one real server ({@code javalived drain|disable|enable|weight}), on top of what its
 * checkers say. It survives reloads and restarts (the daemon's state file, {@link OverrideStore}).
 *
 * @param state          in or out of the table by the operator's word
 * @param weight         the weight that replaces the configured (and dynamic) one, or null
 * @param drainingSince  when the drain started ({@link State#DRAINING}), else null
 * @param drainTimeout   how long a drain waits for the connections to end before the server is taken out; null or
 *                       zero: no limit
 */
public record OperatorOverride(State state, Integer weight, Instant drainingSince, Duration drainTimeout) {
    /** The operator's word on a real server. */
    public enum State {
        /** No in/out override: the checkers decide. */
        NONE,
        /** Weight 0 in IPVS: existing connections continue, no new ones; out when they reach 0 or at the timeout. */
        DRAINING,
        /** Drained: out of the table until {@code enable}. */
        DRAINED,
        /** Disabled: out of the table at once, until {@code enable}. */
        DISABLED;

        /** The word in status, metrics and the state file: none, draining, drained, disabled. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Reads {@link #word()}. */
        public static State of(String word) {
            return valueOf(word.trim().toUpperCase(Locale.ROOT));
        }
    }

    public static final OperatorOverride NONE = new OperatorOverride(State.NONE, null, null, null);

    public OperatorOverride {
        Objects.requireNonNull(state, "state");
        if (state != State.DRAINING) {
            drainingSince = null;
            drainTimeout = null;
        } else {
            Objects.requireNonNull(drainingSince, "drainingSince");
        }
    }

    /** Nothing overridden. */
    public boolean isEmpty() {
        return state == State.NONE && weight == null;
    }

    /** Out of the table (drained or disabled). */
    public boolean out() {
        return state == State.DRAINED || state == State.DISABLED;
    }

    /** When a drain gives up waiting, or null without a limit. */
    public Instant drainDeadline() {
        return drainingSince == null || drainTimeout == null || drainTimeout.isZero() ? null
                : drainingSince.plus(drainTimeout);
    }

    public OperatorOverride withState(State s, Instant since, Duration timeout) {
        return new OperatorOverride(s, weight, since, timeout);
    }

    public OperatorOverride withWeight(Integer w) {
        return new OperatorOverride(state, w, drainingSince, drainTimeout);
    }

    /** {@code draining (weight 0, timeout 30 s)}, {@code disabled, weight 5}, {@code weight 5}, {@code none}. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        if (state != State.NONE) {
            sb.append(state.word());
        }
        if (state == State.DRAINING) {
            sb.append(" since ").append(drainingSince).append(drainTimeout == null || drainTimeout.isZero()
                    ? " (no timeout)" : " (timeout " + seconds(drainTimeout) + ")");
        }
        if (weight != null) {
            sb.append(sb.length() == 0 ? "" : ", ").append("weight ").append(weight);
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : String.format(Locale.ROOT, "%.3f s", ms / 1000.0);
    }
}
