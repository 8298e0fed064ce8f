package io.javalived.checkers;

import io.javalived.inet.RealServerKey;
import java.time.Instant;

/**
 * A real server went up or down.
 *
 * @param realServer which one
 * @param up         its new state (up = every checker passes)
 * @param checker    for a down: the checker that failed (its keyword and target, e.g. {@code HTTP_GET [10.0.0.2]:tcp:80});
 *                   for an up: the checker whose success completed the set
 * @param reason     for a down: the failure class; null for an up
 * @param text       keepalived's log line for the deciding result, with the detail in parentheses
 * @param at         when it was decided
 */
public record Transition(RealServerKey realServer, boolean up, String checker, FailureClass reason, String text,
                         Instant at) {}
