package io.javalived.vrrp.packet;

import io.javalived.config.model.Authentication;
import io.javalived.config.model.UnicastPeer;
import io.javalived.config.model.VirtualIpAddress;
import io.javalived.config.model.VrrpInstance;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * What {@link VrrpValidator} checks received adverts against (one VRRP instance).
 *
 * @param name                 instance name (for log lines)
 * @param ipv6                 instance family
 * @param version              2 or 3
 * @param vrid                 virtual_router_id
 * @param authType             v2: {@link VrrpPacket#AUTH_NONE} or {@link VrrpPacket#AUTH_PASS}
 * @param authData             v2 PASS: the 8 bytes of auth_pass ({@link VrrpPacket#passData}); else ignored
 * @param advertIntervalSeconds v2: advert_int in whole seconds (checked against the packet); v3: ignored
 * @param virtualIps           the instance's virtual_ipaddress addresses of its family, in order (the advert list)
 * @param unicastPeers         unicast_peer entries; empty for multicast instances
 * @param checkUnicastSrc      check_unicast_src (instance or global)
 * @param v3ChecksumAsV2       global v3_checksum_as_v2
 * @param skipCheckAdvAddr     skip_check_adv_addr (instance or global)
 * @param verifyIpv6Checksum   verify IPv6 checksums in user space (false when the receive socket has IPV6_CHECKSUM)
 */
public record ValidatorSettings(String name, boolean ipv6, int version, int vrid, int authType, byte[] authData,
                                int advertIntervalSeconds, List<InetAddress> virtualIps,
                                List<UnicastPeer> unicastPeers, boolean checkUnicastSrc, boolean v3ChecksumAsV2,
                                boolean skipCheckAdvAddr, boolean verifyIpv6Checksum) {
    public ValidatorSettings {
        virtualIps = List.copyOf(virtualIps);
        unicastPeers = List.copyOf(unicastPeers);
        authData = authData == null ? new byte[VrrpPacket.AUTH_DATA_LEN] : authData.clone();
    }

    @Override
    public byte[] authData() {
        return authData.clone();
    }

    public boolean unicast() {
        return !unicastPeers.isEmpty();
    }

    /**
     * Settings from the config model. {@code v3ChecksumAsV2}, {@code globalCheckUnicastSrc} and
     * {@code globalSkipCheckAdvAddr} come from global_defs. The advert address list is the instance's
     * virtual_ipaddress entries of the instance's family (keepalived does not put excluded addresses in adverts).
     */
    public static ValidatorSettings from(VrrpInstance vi, boolean v3ChecksumAsV2, boolean globalCheckUnicastSrc,
                                         boolean globalSkipCheckAdvAddr) {
        Optional<Authentication> auth = vi.version() == 2 ? vi.authentication() : Optional.empty();
        int authType = auth.map(a -> a.type() == Authentication.Type.PASS ? VrrpPacket.AUTH_PASS
                : VrrpPacket.AUTH_AH).orElse(VrrpPacket.AUTH_NONE);
        byte[] data = auth.filter(a -> a.type() == Authentication.Type.PASS)
                .map(a -> VrrpPacket.passData(a.password())).orElse(new byte[VrrpPacket.AUTH_DATA_LEN]);
        return new ValidatorSettings(vi.name(), vi.isIpv6(), vi.version(), vi.virtualRouterId(), authType, data,
                (int) vi.advertInterval().toSeconds(), advertAddresses(vi), vi.unicastPeers(),
                vi.checkUnicastSrc() || globalCheckUnicastSrc, v3ChecksumAsV2,
                vi.skipCheckAdvAddr() || globalSkipCheckAdvAddr, true);
    }

    /** The addresses an advert of this instance carries: its virtual_ipaddress entries of its family, in order. */
    public static List<InetAddress> advertAddresses(VrrpInstance vi) {
        return vi.virtualIpAddresses().stream().filter(v -> v.isIpv6() == vi.isIpv6())
                .map(VirtualIpAddress::address).limit(VrrpPacket.MAX_ADDRESSES).toList();
    }
}
