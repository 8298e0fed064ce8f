package io.javalived.director;

import io.javalived.inet.VirtualServerKey;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Operator overrides of a running director ({@code javalived drain|enable|disable|weight}, through the control
 * socket). A real server is named by its address and port: under every virtual server that holds it, or under
 * {@code virtualServer} only. Each call is idempotent, returns when the kernel table reflects it, and answers one
 * line per real or virtual server it concerned.
 *
 * @see Director
 */
public interface OperatorControl {
    /** Weight 0 in IPVS; out of the table when its connections reach 0 or after {@code timeout} (null: no limit). */
    List<String> drain(InetSocketAddress realServer, VirtualServerKey virtualServer, Duration timeout);

    /** Out of the table at once; {@code realServer} null: the whole virtual server. */
    List<String> disable(InetSocketAddress realServer, VirtualServerKey virtualServer);

    /** Ends a drain or disable (back in when its checkers say up); {@code realServer} null: the virtual server. */
    List<String> enable(InetSocketAddress realServer, VirtualServerKey virtualServer);

    /** Overrides the weight; {@code weight} null removes the override. */
    List<String> weight(InetSocketAddress realServer, VirtualServerKey virtualServer, Integer weight);

    /** Whether the running configuration has a real server at this address and port. */
    boolean hasRealServer(InetSocketAddress realServer);

    /** Whether the running configuration has this virtual server. */
    boolean hasVirtualServer(VirtualServerKey virtualServer);
}
