package io.javalived.vrrp.packet;

/**
 * Why a received packet was dropped, with the keepalived statistics counter it is counted in
 * ({@code null} counter name: counted only in the javalived-specific counter named by {@link #counterName()}).
 */
public enum DropReason {
    /** Truncated or over-long IP header / VRRP message, or a length not matching the address count. */
    PACKET_LENGTH("packet_len_err"),
    /** TTL / hop limit not 255 on a multicast instance. */
    TTL("ip_ttl_err"),
    /** IP protocol is not 112 (cannot normally happen on a raw socket for 112). */
    PROTOCOL("protocol_err"),
    /** VRRP version is not the instance's (or not 2/3). */
    VERSION("version_err"),
    /** Type is not ADVERTISEMENT. */
    TYPE("invalid_type_rcvd"),
    /** Checksum does not verify. */
    CHECKSUM("checksum_err"),
    /** VRID is not the instance's (driver demultiplexes on VRID; counted globally in keepalived). */
    VRID("vrid_err"),
    /** v2 auth type unknown (not 0, 1, 2). */
    INVALID_AUTH_TYPE("invalid_authtype"),
    /** v2 auth type differs from the configured one. */
    AUTH_TYPE_MISMATCH("authtype_mismatch"),
    /** v2 PASS auth data differs from auth_pass. */
    AUTH_FAILURE("auth_failure"),
    /** v2 advert interval differs from ours. */
    ADVERT_INTERVAL("advert_interval_err"),
    /** Address list: bad count / contents (only when it drops; a mismatch is normally only logged). */
    ADDRESS_LIST("addr_list_err"),
    /** Address family of the packet is not the instance's. */
    FAMILY("family_err"),
    /** Unicast instance with check_unicast_src: source is not one of the unicast peers. */
    UNKNOWN_UNICAST_SOURCE("unicast_src_err");

    private final String counterName;

    DropReason(String counterName) {
        this.counterName = counterName;
    }

    /** The counter name (keepalived's for the standard reasons). */
    public String counterName() {
        return counterName;
    }
}
