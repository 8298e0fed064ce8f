package io.javalived.checkers;

import java.util.concurrent.CompletableFuture;

/**
 * One keepalived checker bound to its target (TCP_CHECK, HTTP_GET, SSL_GET, PING_CHECK, MISC_CHECK, SMTP_CHECK,
 * DNS_CHECK, UDP_CHECK, FILE_CHECK). Immutable; safe to run again and again. Implementations never block the calling
 * thread: the I/O runs on {@link CheckContext#loop()} and the returned future completes (on that loop, or on the
 * script pool) with the outcome — never exceptionally.
 */
public interface Checker {
    /** The configuration keyword: {@code TCP_CHECK}, {@code HTTP_GET}... */
    String keyword();

    /** The name keepalived uses in "X on service ... failed after N retries." ({@code TCP_CHECK}, {@code HTTP_CHECK}). */
    default String logName() {
        return keyword();
    }

    /** The target as keepalived prints it: {@code [10.0.0.2]:tcp:80}. */
    String target();

    /**
     * What makes two checkers the same probe: two virtual servers holding the same real server with an equal
     * checker share one probe. Includes every field that changes what is sent or judged.
     */
    String identity();

    /** Run one attempt. */
    CompletableFuture<CheckResult> check(CheckContext ctx);
}
