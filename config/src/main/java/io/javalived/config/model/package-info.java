/**
 * The typed, immutable model of a keepalived.conf, as read by {@link io.javalived.config.KeepalivedConfigReader}.
 *
 * <p>Every default keepalived applies is already resolved here, including the inheritance
 * {@code virtual_server → real_server → checker} (a checker's connect address, delay_loop, retry, ... are the
 * effective values). Timers are {@link java.time.Duration}s with keepalived's resolution. Collections are
 * unmodifiable; optional values are {@link java.util.Optional}. Each block records the file and line where it
 * was defined ({@link Origin}).
 */
package io.javalived.config.model;
