/**
 * Real-server health checkers and the scheduler that runs them — keepalived's healthchecker, for tens of thousands of
 * checks on a few threads.
 *
 * <h2>Checkers</h2>
 * One class per keepalived checker, all behind {@link io.javalived.checkers.Checker}: {@link
 * io.javalived.checkers.TcpChecker} (TCP_CHECK), {@link io.javalived.checkers.HttpGetChecker} (HTTP_GET and SSL_GET),
 * {@link io.javalived.checkers.PingChecker} (PING_CHECK), {@link io.javalived.checkers.MiscChecker} (MISC_CHECK),
 * {@link io.javalived.checkers.SmtpChecker} (SMTP_CHECK), {@link io.javalived.checkers.DnsChecker} (DNS_CHECK),
 * {@link io.javalived.checkers.UdpChecker} (UDP_CHECK), {@link io.javalived.checkers.FileChecker} (FILE_CHECK). A
 * checker is an immutable description of one probe; {@code check(ctx)} runs one attempt without blocking and completes
 * with a {@link io.javalived.checkers.CheckResult}: ok or a {@link io.javalived.checkers.FailureClass} plus keepalived's
 * log line and a detail (url, status code, errno text...). The scheduler binds each checker to its probe once
 * ({@code prepare(ctx)}: what every attempt reuses is built then) and runs {@code Attempt}s. On the epoll transport
 * TCP_CHECK and HTTP_GET (plain, without bindto) are raw non-blocking sockets registered on the probe's loop
 * ({@code EpollTcpConnect}, {@code EpollHttpGet} over {@code EpollAttempt}: no Netty channel, pipeline, promise or
 * timer per check; HTTP_GET's reply goes through one reused {@link io.javalived.checkers.HttpResponseParser} per url);
 * their timeouts are {@code Checker.TimedAttempt} deadlines the scheduler keeps. SSL_GET, bindto and the NIO fallback
 * use a Netty channel per attempt. This package knows nothing of keepalived.conf: the
 * director's {@code io.javalived.director.CheckerFactory} builds checkers from the configuration model.
 *
 * <h2>Verdicts</h2>
 * {@link io.javalived.checkers.CheckState} is keepalived's retry logic (retry, delay_before_retry, delay_loop, alpha)
 * plus javalived's optional rise/fall; pure and exhaustively tested. A real server is up when every one of its
 * checkers is up.
 *
 * <h2>Scheduler and the listener API (for the director)</h2>
 * <pre>{@code
 * CheckScheduler checks = new CheckScheduler();                    // 1-2 event loops, 4096 in flight, 8 script threads
 * checks.addListener(new CheckerListener() {
 *     public void onTransition(Transition t) {                      // one thread, in order
 *         if (t.up()) ipvs.addDest(t.realServer());                 // "Adding service ..." is the director's line
 *         else ipvs.removeDest(t.realServer(), t.reason(), t.text()); // "Removing service ..." likewise
 *     }
 *     public void onWeight(RealServerKey rs, String checker, int w) { ipvs.setWeight(rs, w); } // misc_dynamic, FILE_CHECK
 * });
 * List<RealServerHandle> handles = CheckerFactory.registerAll(checks, config, CheckerFactory.Extras.KEEPALIVED);
 * for (RealServerHandle h : handles) if (h.isUp()) ipvs.addDest(h.id());  // initial state: up unless alpha
 * ...
 * handle.close();   // on reload, for a removed real server; checks.close() on shutdown
 * }</pre>
 * <ul>
 *   <li>{@link io.javalived.checkers.CheckScheduler#register} takes a {@link io.javalived.inet.RealServerKey}
 *       (virtual server text as keepalived prints it + real server address) and its checkers with their
 *       {@link io.javalived.checkers.CheckTiming}. The returned handle's {@code isUp()} is the initial state (up, unless
 *       a checker has alpha); afterwards only changes are published.</li>
 *   <li>{@link io.javalived.checkers.Transition}: the real server, up/down, the deciding checker ("HTTP_GET
 *       [10.0.0.2]:tcp:80"), the {@link io.javalived.checkers.FailureClass} and keepalived's line with the detail,
 *       e.g. {@code HTTP status code error to server [10.0.0.2]:tcp:80. (url(/), status_code [503])}.</li>
 *   <li>Listeners run on the single "javalived-checker-events" thread, in order; they may block briefly (netlink), the
 *       checks keep running meanwhile.</li>
 *   <li>The same checker (same target and options) on the same backend under several virtual servers is one probe:
 *       it runs once per delay_loop and each virtual server's real server gets its transition.</li>
 *   <li>Each probe lives on one Netty event loop (epoll, NIO fallback); no thread per check. First checks are spread
 *       over warmup (or delay_loop) by a low-discrepancy sequence ({@link io.javalived.checkers.Spread}); due times
 *       are rounded up to a tick of delay_loop / 100 (1-10 ms; -Djavalived.checkers.maxTickMicros), so the checks due in one tick share one wake-up of
 *       their loop; at most {@code maxInFlight} attempts run at once, the rest wait FIFO.</li>
 *   <li>Timers: one deadline structure per loop ({@code CheckScheduler.LoopTimer}), an array min-heap of the probes
 *       themselves driven by one Netty timer at the earliest deadline. A probe has one slot: its next fire time while
 *       idle, its running attempt's timeout (a {@code TimedAttempt}: TCP_CHECK, HTTP_GET) while it runs; a read that
 *       restarts HTTP_GET's read timeout only stores the new deadline, looked at when the old one comes. No timer
 *       entry, future or task is allocated per check; results stay on the loop (the events thread gets only
 *       transitions); successes build no log text. Deadlines, due times and durations take the loop's
 *       {@code LoopClock}: the clock read once per wake-up of the loop, as keepalived reads it once per pass of its
 *       scheduler (a read is a system call where the clocksource has no vDSO: hpet, acpi_pm).
 *       MISC_CHECK scripts run as processes (no shell; runuser for {@code user}) on a bounded pool.</li>
 *   <li>{@link io.javalived.checkers.CheckScheduler#stats()}: started/completed/failed counts, in-flight, waiting and
 *       start-lateness percentiles.</li>
 * </ul>
 *
 * <h2>Log lines</h2>
 * keepalived 2.2.7's own phrases — from its binary's format strings, and checked against the real keepalived 2.2.7
 * running checks in the IPVS VM — with its FMT_CHK address format {@code [ip]:PROTO:port}, where PROTO is the virtual
 * server's protocol (so a DNS_CHECK under a TCP service prints {@code :tcp:}):
 * {@code TCP connection to [10.0.0.2]:tcp:80 success.}, {@code TCP connection to ... failed.} / {@code timeout.},
 * {@code TCP_CHECK on service [10.0.0.2]:tcp:80 failed.} (first check) / {@code ... failed after 1 retries.},
 * {@code HTTP_CHECK on service ... failed after 1 retries.}, {@code HTTP status code success to [10.0.0.2]:tcp:80 url(/)},
 * {@code HTTP status code error to server [..]:tcp:80.}, {@code MD5 digest error to server ...},
 * {@code Timeout connecting server ...}, {@code SSL handshake/communication error connecting to server ...},
 * {@code Misc check for [[10.0.0.2]:tcp:80 VS [10.0.0.1]:tcp:80] by [/usr/bin/sh] failed with retry disabled (exited
 * with status 1).}, {@code ... timed out with retry disabled.}, {@code ICMP CHECK on service [10.0.0.2]:tcp:80 failed.},
 * {@code ICMP connection to 10.0.0.2 success.}, {@code SMTP_CHECK Could not connect to server [10.0.0.2]:25},
 * {@code Remote SMTP server [..]:tcp:25 succeed on service.}, {@code DNS_CHECK ([10.0.0.2]:tcp:53) failed to read
 * socket; errno 111 (Connection refused)}, {@code UDP_CHECK on service [..]:tcp:85 failed.}
 * The detail (url, status code, errno text) is logged at DEBUG and carried in the {@link io.javalived.checkers.Transition}.
 * {@code Removing service [10.0.0.2]:tcp:80 from VS [10.0.0.1]:tcp:80} / {@code Adding service ...} are the
 * director's lines.
 */
package io.javalived.checkers;

