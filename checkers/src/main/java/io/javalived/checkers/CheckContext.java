package io.javalived.checkers;

import io.netty.channel.EventLoop;
import java.util.concurrent.ExecutorService;

/**
 * What a checker may use for one attempt: the event loop its probe lives on (all of its socket I/O and timers go
 * there), the transport, the bounded pool for MISC_CHECK scripts and the shared ICMP echo sockets.
 */
public record CheckContext(EventLoop loop, Transport transport, ExecutorService scriptPool, Pinger pinger) {}
