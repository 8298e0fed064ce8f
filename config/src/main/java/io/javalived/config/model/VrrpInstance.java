package io.javalived.config.model;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code vrrp_instance NAME}, defaults resolved:
 * state BACKUP; priority 100, or 255 when state MASTER and no priority is given;
 * advert_int 1 s rounded as keepalived does (v2: whole seconds, v3: centiseconds); version = global vrrp_version
 * (3 for IPv6); preempt on; preempt_delay 0; accept on unless strict mode; garp settings from global_defs.
 */
public record VrrpInstance(
        String name,
        State initialState,
        /** interface; empty only for unicast instances that omit it. */
        Optional<String> interfaceName,
        int virtualRouterId,
        /** Configured priority (1..255); default 100. */
        int priority,
        Duration advertInterval,
        int version,
        Family family,
        boolean preempt,
        Duration preemptDelay,
        Optional<Authentication> authentication,
        List<VirtualIpAddress> virtualIpAddresses,
        List<VirtualIpAddress> virtualIpAddressesExcluded,
        List<VirtualRoute> virtualRoutes,
        List<VirtualRule> virtualRules,
        Optional<InetAddress> unicastSrcIp,
        List<UnicastPeer> unicastPeers,
        Optional<InetAddress> mcastSrcIp,
        /** Multicast destination: mcast_dst_ip, else global vrrp_mcast_group4/6. */
        InetAddress mcastDstIp,
        List<TrackedInterface> trackInterfaces,
        List<TrackedScript> trackScripts,
        List<TrackedFile> trackFiles,
        Optional<NotifyScript> notifyAny,
        Optional<NotifyScript> notifyMaster,
        Optional<NotifyScript> notifyBackup,
        Optional<NotifyScript> notifyFault,
        Optional<NotifyScript> notifyStop,
        Optional<NotifyScript> notifyMasterRxLowerPri,
        boolean smtpAlert,
        Duration garpMasterDelay,
        int garpMasterRepeat,
        Duration garpMasterRefresh,
        int garpMasterRefreshRepeat,
        Duration garpLowerPrioDelay,
        int garpLowerPrioRepeat,
        boolean useVmac,
        Optional<String> vmacInterfaceName,
        boolean vmacXmitBase,
        boolean accept,
        boolean dontTrackPrimary,
        boolean strictMode,
        boolean skipCheckAdvAddr,
        boolean checkUnicastSrc,
        Optional<Integer> unicastTtl,
        int downTimerAdverts,
        boolean lowerPrioNoAdvert,
        boolean higherPrioSendAdvert,
        boolean promoteSecondaries,
        Origin origin,
        /** notify_priority_changes as written (empty: the sync group's, else vrrp_notify_priority_changes). */
        Optional<Boolean> notifyPriorityChanges,
        /** track_process entries. */
        List<TrackedProcess> trackProcesses) {

    public enum State { MASTER, BACKUP }

    public enum Family { INET, INET6 }

    public VrrpInstance {
        virtualIpAddresses = List.copyOf(virtualIpAddresses);
        virtualIpAddressesExcluded = List.copyOf(virtualIpAddressesExcluded);
        virtualRoutes = List.copyOf(virtualRoutes);
        virtualRules = List.copyOf(virtualRules);
        unicastPeers = List.copyOf(unicastPeers);
        trackInterfaces = List.copyOf(trackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        trackFiles = List.copyOf(trackFiles);
        trackProcesses = List.copyOf(trackProcesses);
    }

    /** True when the instance sends adverts by unicast (unicast_peer given). */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    public boolean isIpv6() {
        return family == Family.INET6;
    }

    /** True for the address owner (priority 255). */
    public boolean isAddressOwner() {
        return priority == 255;
    }

    /** Source address for adverts: unicast_src_ip, else mcast_src_ip, if configured. */
    public Optional<InetAddress> sourceAddress() {
        return unicastSrcIp.isPresent() ? unicastSrcIp : mcastSrcIp;
    }

    /** advert_int in centiseconds as sent in a VRRPv3 advert. */
    public int advertIntervalCentis() {
        return (int) (advertInterval.toMillis() / 10);
    }
}
