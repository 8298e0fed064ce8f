package io.javalived.director.anycast;

import java.time.Duration;
import java.time.Instant;

/**
 * Whether one anycast virtual server's route should be announced, from its quorum over time (pure: the caller gives
 * the time). The route is announced once quorum has been up for {@code minUp} without a break, and withdrawn once
 * quorum has been lost for {@code holdDown} without a break; a backend set that flaps faster than that leaves the route
 * as it is. Stopping withdraws at once.
 */
public final class AnycastAnnouncer {
    /** What {@link #update} decided. */
    public enum Change { NONE, ANNOUNCE, WITHDRAW }

    private final Duration minUp;
    private final Duration holdDown;
    private boolean announced;
    private boolean quorumUp;
    private Instant since;
    private Instant announcedSince;

    public AnycastAnnouncer(Duration minUp, Duration holdDown) {
        this.minUp = minUp;
        this.holdDown = holdDown;
    }

    /** The quorum now; returns the change the route needs (at most one per call). */
    public Change update(boolean quorum, Instant now) {
        if (since == null || quorum != quorumUp) {
            quorumUp = quorum;
            since = now;
        }
        Duration held = Duration.between(since, now);
        if (!announced && quorumUp && held.compareTo(minUp) >= 0) {
            announced = true;
            announcedSince = now;
            return Change.ANNOUNCE;
        }
        if (announced && !quorumUp && held.compareTo(holdDown) >= 0) {
            announced = false;
            announcedSince = now;
            return Change.WITHDRAW;
        }
        return Change.NONE;
    }

    /** When {@link #update} with an unchanged quorum would change the route next; null if it would not. */
    public Instant nextChange() {
        if (since == null) {
            return null;
        }
        if (!announced && quorumUp) {
            return since.plus(minUp);
        }
        if (announced && !quorumUp) {
            return since.plus(holdDown);
        }
        return null;
    }

    /** Stopping: true if the route was announced (the caller withdraws it). */
    public boolean stop(Instant now) {
        boolean was = announced;
        announced = false;
        announcedSince = now;
        return was;
    }

    public boolean announced() {
        return announced;
    }

    /** Whether quorum is up as last given. */
    public boolean quorumUp() {
        return quorumUp;
    }

    /** How long quorum has been as it is now. */
    public Duration held(Instant now) {
        return since == null ? Duration.ZERO : Duration.between(since, now);
    }

    /** When the route was last announced or withdrawn; null before either. */
    public Instant announcedSince() {
        return announcedSince;
    }
}
