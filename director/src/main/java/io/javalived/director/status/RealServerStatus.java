package io.javalived.director.status;

import io.javalived.checkers.CheckStatus;
import java.time.Instant;
import java.util.List;

/**
 * A point-in-time view of one real_server of a virtual server.
 *
 * @param address    {@code address:port} (IPv6 in brackets)
 * @param alive      the real server's health: every checker up
 * @param weight     its weight now (configured, or the last dynamic one)
 * @param inPool     whether it is in the desired IPVS table with a weight &gt; 0 (false while sorry_server replaces it)
 * @param since      when its health last changed (registration time until then)
 * @param checks     each checker's state and last result (empty for a real server without checkers)
 */
public record RealServerStatus(String address, boolean alive, int weight, boolean inPool, Instant since,
                               List<CheckStatus> checks) {}
