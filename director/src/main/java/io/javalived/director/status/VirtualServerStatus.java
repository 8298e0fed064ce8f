package io.javalived.director.status;

import java.util.List;

/**
 * A point-in-time view of one virtual_server block.
 *
 * @param name         keepalived's name, e.g. {@code [10.0.0.100]:tcp:80}, {@code FWM 1}, {@code GROUP web}
 * @param scheduler    lvs_sched
 * @param forwarding   lvs_method (NAT, DR, TUN)
 * @param quorumUp     whether quorum is up (the sum of the alive real servers' weights reached quorum)
 * @param quorum       the configured quorum (default 1)
 * @param hysteresis   the configured hysteresis
 * @param aliveWeight  the sum of the alive real servers' weights
 * @param realServersUp    how many real servers are alive
 * @param realServersTotal how many are configured
 * @param sorryServer  the sorry_server as {@code address:port}, null when none
 * @param sorryActive  whether the sorry server replaces the pool now
 * @param suspended    whether ha_suspend holds it (this node not MASTER)
 * @param disabled     whether an operator took it out of the table ({@code javalived disable VS})
 * @param anycast      its announcement (javalived's anycast extension); null when it is not anycast
 */
public record VirtualServerStatus(String name, String scheduler, String forwarding, boolean quorumUp, int quorum,
                                  int hysteresis, long aliveWeight, int realServersUp, int realServersTotal,
                                  String sorryServer, boolean sorryActive, boolean suspended,
                                  List<RealServerStatus> realServers, boolean disabled, AnycastStatus anycast) {
    /** Not anycast. */
    public VirtualServerStatus(String name, String scheduler, String forwarding, boolean quorumUp, int quorum,
                               int hysteresis, long aliveWeight, int realServersUp, int realServersTotal,
                               String sorryServer, boolean sorryActive, boolean suspended,
                               List<RealServerStatus> realServers, boolean disabled) {
        this(name, scheduler, forwarding, quorumUp, quorum, hysteresis, aliveWeight, realServersUp, realServersTotal,
                sorryServer, sorryActive, suspended, realServers, disabled, null);
    }

    /** The same with its anycast announcement. */
    public VirtualServerStatus withAnycast(AnycastStatus a) {
        return new VirtualServerStatus(name, scheduler, forwarding, quorumUp, quorum, hysteresis, aliveWeight,
                realServersUp, realServersTotal, sorryServer, sorryActive, suspended, realServers, disabled, a);
    }

    /** Not disabled by an operator. */
    public VirtualServerStatus(String name, String scheduler, String forwarding, boolean quorumUp, int quorum,
                               int hysteresis, long aliveWeight, int realServersUp, int realServersTotal,
                               String sorryServer, boolean sorryActive, boolean suspended,
                               List<RealServerStatus> realServers) {
        this(name, scheduler, forwarding, quorumUp, quorum, hysteresis, aliveWeight, realServersUp, realServersTotal,
                sorryServer, sorryActive, suspended, realServers, false);
    }
}
