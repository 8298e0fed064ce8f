package io.javalived.director.status;

import io.javalived.checkers.CheckStatus;
import java.time.Instant;
import java.util.List;

/**
 * A point-in-time view of one real_server of a virtual server.
 *
 * @param address    {@code address:port} (IPv6 in brackets)
 * @param alive      the real server's health: every checker up
 * @param weight     its weight in service (configured, the last dynamic one, or the operator's)
 * @param inPool     whether it is in the desired IPVS table with a weight &gt; 0 (false while sorry_server replaces it,
 *                   while it is drained, disabled or draining)
 * @param since      when its health last changed (registration time until then)
 * @param checks     each checker's state and last result (empty for a real server without checkers)
 * @param override   the operator's word: {@code none}, {@code draining}, {@code drained}, {@code disabled}
 * @param weightOverride the operator's weight ({@code javalived weight}), null when none
 * @param drainingSince  when the drain started, null unless draining
 * @param drainDeadline  when the drain gives up waiting for the connections, null unless draining with a timeout
 * @param connectionsLeft active + inactive connections of a draining real server at the last check, null when not
 *                        draining or not checked yet
 */
public record RealServerStatus(String address, boolean alive, int weight, boolean inPool, Instant since,
                               List<CheckStatus> checks, String override, Integer weightOverride,
                               Instant drainingSince, Instant drainDeadline, Long connectionsLeft) {
    public RealServerStatus {
        override = override == null ? "none" : override;
    }

    /** Without operator overrides. */
    public RealServerStatus(String address, boolean alive, int weight, boolean inPool, Instant since,
                            List<CheckStatus> checks) {
        this(address, alive, weight, inPool, since, checks, "none", null, null, null, null);
    }
}
