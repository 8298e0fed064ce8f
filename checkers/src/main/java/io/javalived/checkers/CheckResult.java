package io.javalived.checkers;

import java.util.OptionalInt;

/**
 * The outcome of one check attempt.
 *
 * @param ok      whether the check passed
 * @param failure why it failed (null when ok)
 * @param message keepalived's log line for this outcome (for a failure: the reason, e.g.
 *                {@code HTTP status code error to [10.0.0.2]:tcp:80 url(/), status_code [503].})
 * @param weight  a dynamic weight reported by the check (misc_dynamic, FILE_CHECK), or empty
 * @param detail  what keepalived's line leaves out (url, status code, digest, errno text), or null
 */
public record CheckResult(boolean ok, FailureClass failure, String message, OptionalInt weight, String detail) {
    public CheckResult {
        if (ok == (failure != null)) throw new IllegalArgumentException("ok xor failure");
        weight = weight == null ? OptionalInt.empty() : weight;
    }

    public static CheckResult success(String message) {
        return new CheckResult(true, null, message, OptionalInt.empty(), null);
    }

    public static CheckResult success(String message, int weight) {
        return new CheckResult(true, null, message, OptionalInt.of(weight), null);
    }

    public static CheckResult failed(FailureClass why, String message) {
        return new CheckResult(false, why, message, OptionalInt.empty(), null);
    }

    public static CheckResult failed(FailureClass why, String message, String detail) {
        return new CheckResult(false, why, message, OptionalInt.empty(), detail);
    }

    /** The reason as one text: keepalived's line, then the detail in parentheses. */
    public String reason() {
        return detail == null ? message : message + " (" + detail + ")";
    }
}
