package io.javalived.checkers;

import java.time.Instant;

/**
 * A point-in-time view of one checker of a real server, for {@code javalived status} and the metrics endpoint (the
 * meaning of KEEPALIVED-MIB's realServerStatus / realServerFailedChecks, per checker).
 *
 * @param name                keyword and target, e.g. {@code TCP_CHECK [10.0.0.2]:tcp:80}
 * @param up                  the checker's verdict (after retry / rise / fall)
 * @param consecutiveFailures failed attempts since the last success (retries included)
 * @param attempts            attempts completed since registration
 * @param failures            failed attempts since registration
 * @param lastDurationNanos   how long the last attempt took, -1 before the first
 * @param lastAt              when the last attempt ended (wall clock), null before the first
 * @param lastOk              whether the last attempt passed
 * @param lastFailure         the last failed attempt's class, null when none failed yet
 * @param lastReason          the last attempt's text (keepalived's line and detail), null before the first
 * @param since               when the verdict last changed (registration time until then)
 */
public record CheckStatus(String name, boolean up, int consecutiveFailures, long attempts, long failures,
                          long lastDurationNanos, Instant lastAt, boolean lastOk, FailureClass lastFailure,
                          String lastReason, Instant since) {}
