package io.javalived.config.model;

import io.javalived.inet.Protocol;
import io.javalived.inet.VirtualServerKey;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code virtual_server ADDR [PORT] | fwmark N | group NAME}, defaults resolved: protocol TCP, lvs_sched wlc,
 * lvs_method NAT, delay_loop 60 s, quorum 1, hysteresis 0, persistence off (persistence_timeout with no value =
 * 360 s).
 */
public record VirtualServer(
        Kind kind,
        Optional<InetAddress> address,
        /** Port; 0 for fwmark/group services or when omitted (persistent services only). */
        int port,
        int fwmark,
        Optional<String> group,
        IpFamily family,
        Protocol protocol,
        Duration delayLoop,
        /** Scheduler name (lb_algo / lvs_sched), default wlc. */
        String lbAlgo,
        /** Scheduler flags: flag-1/sh-fallback/mh-fallback = SCHED1, flag-2/sh-port/mh-port = SCHED2, flag-3. */
        SchedulerFlags schedulerFlags,
        boolean ops,
        LvsMethod lbKind,
        /** TUN only: encapsulation (IPIP otherwise). */
        Tunnel tunnel,
        /** persistence_timeout in seconds; 0 = not persistent. */
        int persistenceTimeout,
        Optional<InetAddress> persistenceGranularity,
        Optional<String> persistenceEngine,
        Optional<SorryServer> sorryServer,
        boolean sorryServerInhibit,
        int quorum,
        int hysteresis,
        Optional<NotifyScript> quorumUp,
        Optional<NotifyScript> quorumDown,
        boolean alpha,
        boolean omega,
        boolean inhibitOnFailure,
        Optional<String> virtualhost,
        boolean haSuspend,
        /** smtp_alert, else global smtp_alert_checker, else global smtp_alert, else off (keepalived 2.2.7). */
        boolean smtpAlert,
        List<RealServer> realServers,
        Origin origin,
        /** javalived extension: announced by a routing daemon while quorum is up (see {@link Anycast}). */
        Optional<Anycast> anycast) {

    public enum Kind { ADDRESS, FWMARK, GROUP }

    public enum IpFamily { INET, INET6 }

    /** Scheduler flag bits as IPVS defines them (IP_VS_SVC_F_SCHED1/2/3). */
    public record SchedulerFlags(boolean flag1, boolean flag2, boolean flag3) {
        public static final SchedulerFlags NONE = new SchedulerFlags(false, false, false);

        public int bits() {
            return (flag1 ? 0x0008 : 0) | (flag2 ? 0x0010 : 0) | (flag3 ? 0x0020 : 0);
        }
    }

    public VirtualServer {
        realServers = List.copyOf(realServers);
    }

    public boolean isPersistent() {
        return persistenceTimeout > 0;
    }

    public boolean isIpv6() {
        return family == IpFamily.INET6;
    }

    /** IPVS service flags: persistent (0x1), one-packet (0x4) and the scheduler flag bits. */
    public int ipvsFlags() {
        return (isPersistent() ? 0x0001 : 0) | (ops ? 0x0004 : 0) | schedulerFlags.bits();
    }

    /** The virtual server's identity: protocol+address+port, fwmark (and family) or group (and port). */
    public VirtualServerKey key() {
        return switch (kind) {
            case ADDRESS -> VirtualServerKey.of(protocol, address.orElseThrow(), port);
            case FWMARK -> VirtualServerKey.fwmark(fwmark, isIpv6());
            case GROUP -> VirtualServerKey.group(group.orElseThrow(), port, isIpv6());
        };
    }

    /** keepalived's FMT_VS, for log lines: {@code [10.0.0.1]:tcp:80}, {@code FWM 7} or {@code [GROUP]:80}. */
    public String displayName() {
        return key().toString();
    }

    static boolean v6(InetAddress a) {
        return a instanceof Inet6Address;
    }
}
