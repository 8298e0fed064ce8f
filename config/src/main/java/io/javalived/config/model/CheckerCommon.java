package io.javalived.config.model;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;

/**
 * The options every checker shares, as effective values: connect_ip/connect_port default to the real server's
 * address/port; delay_loop, connect_timeout, retry, delay_before_retry, warmup and alpha inherit
 * checker ← real_server ← virtual_server ← keepalived's default (delay_loop 60 s, connect_timeout 5 s,
 * retry 1 (DNS_CHECK 3, MISC_CHECK 0), delay_before_retry 1 s (HTTP_GET/SSL_GET 3 s, DNS_CHECK delay_loop),
 * warmup = delay_loop).
 */
public record CheckerCommon(
        InetAddress connectIp,
        int connectPort,
        Optional<InetAddress> bindTo,
        int bindPort,
        Optional<String> bindIf,
        Duration connectTimeout,
        int retry,
        Duration delayBeforeRetry,
        Duration warmup,
        Duration delayLoop,
        boolean alpha,
        boolean logAllFailures,
        /** fwmark to mark the checker's packets with, 0 = none. */
        int fwmark,
        Origin origin) {

    /** {@code [ADDR]:PORT} of the checked endpoint as keepalived logs it. */
    public String endpoint() {
        return io.javalived.inet.InetText.pair(connectIp, connectPort);
    }
}
