package io.javalived.vrrp.packet;

import io.javalived.config.model.UnicastPeer;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.Set;

/**
 * keepalived's receive checks for one instance, in keepalived's order:
 * <ol>
 *   <li>length (done by {@link AdvertDecoder}: IP header, total length, VRRP length vs address count) — packet_len_err</li>
 *   <li>TTL / hop limit 255 unless unicast (unknown hop limit -1 skips it) — ip_ttl_err</li>
 *   <li>version — version_err</li>
 *   <li>v2: auth type known — invalid_authtype; equal to ours — authtype_mismatch; PASS data — auth_failure;
 *       advert interval equal to ours — advert_interval_err</li>
 *   <li>type ADVERTISEMENT — invalid_type_rcvd</li>
 *   <li>address count equal to our VIP count (unless skipped, see below) — addr_list_err</li>
 *   <li>checksum — checksum_err</li>
 *   <li>multicast destination on a multicast instance, unicast on a unicast one — addr_list_err</li>
 *   <li>(now counted in advert_rcvd)</li>
 *   <li>every configured VIP present in the advert (unless skipped) — addr_list_err: keepalived DROPS such adverts,
 *       it does not just log them</li>
 *   <li>unicast with check_unicast_src: source is a unicast_peer, TTL within its min_ttl..max_ttl</li>
 *   <li>priority 0 — pri_zero_rcvd (accepted)</li>
 * </ol>
 * The address checks are skipped, as keepalived's skip_check_adv_addr does, when that option is on and the advert
 * comes from the master we last accepted ({@code lastMasterAddress}); a master always checks.
 * Thread-safe (immutable).
 */
public final class VrrpValidator {
    private final ValidatorSettings s;
    private final String prefix;
    private final Set<InetAddress> vipSet;

    public VrrpValidator(ValidatorSettings settings) {
        this.s = settings;
        this.prefix = "(" + settings.name() + ") ";
        this.vipSet = new HashSet<>(settings.virtualIps());
    }

    public ValidatorSettings settings() {
        return s;
    }

    /** Validates with the address list always checked. */
    public Verdict validate(ReceivedAdvert adv) {
        return validate(adv, null);
    }

    /**
     * Validates {@code adv}. {@code lastMasterAddress}: the source of the last advert a BACKUP accepted (see
     * {@code VrrpStateMachine.lastMasterAddress()}), or null (then addresses are always checked).
     */
    public Verdict validate(ReceivedAdvert adv, InetAddress lastMasterAddress) {
        VrrpPacket p = adv.packet();
        boolean unicast = s.unicast();
        if ((adv.source() instanceof Inet4Address) == s.ipv6()) {
            return Verdict.drop(DropReason.FAMILY, prefix + "received an advert of the wrong address family from "
                    + adv.source().getHostAddress(), false);
        }
        if (!unicast && adv.ttl() != -1 && adv.ttl() != 255) {
            return Verdict.drop(DropReason.TTL, prefix + "invalid TTL/HL. Received " + adv.ttl()
                    + " and expect 255", false);
        }
        if (p.version() != s.version()) {
            return Verdict.drop(DropReason.VERSION, prefix + "wrong version. Received " + p.version()
                    + " and expect " + s.version(), false);
        }
        if (p.vrid() != s.vrid()) {
            return Verdict.drop(DropReason.VRID, prefix + "received VRID " + p.vrid() + ", expect " + s.vrid(),
                    false);
        }
        if (p.version() == 2) {
            int at = p.authType();
            if (at != VrrpPacket.AUTH_NONE && at != VrrpPacket.AUTH_PASS && at != VrrpPacket.AUTH_AH) {
                return Verdict.drop(DropReason.INVALID_AUTH_TYPE, prefix + "Invalid auth type: " + at, false);
            }
            if (at != s.authType()) {
                return Verdict.drop(DropReason.AUTH_TYPE_MISMATCH, prefix + "received a " + at
                        + " auth, expecting " + s.authType() + "!", false);
            }
            if (at == VrrpPacket.AUTH_PASS && !MessageDigest.isEqual(p.authData(), s.authData())) {
                return Verdict.drop(DropReason.AUTH_FAILURE, prefix + "received an invalid passwd!", false);
            }
            if (p.advertInterval() != s.advertIntervalSeconds()) {
                return Verdict.drop(DropReason.ADVERT_INTERVAL, prefix + "advertisement interval mismatch mine="
                        + s.advertIntervalSeconds() + " sec rcv'd=" + p.advertInterval() + " sec", false);
            }
        }
        if (p.type() != VrrpPacket.TYPE_ADVERTISEMENT) {
            return Verdict.drop(DropReason.TYPE, prefix + "Invalid packet type. " + p.type() + " and expect 1",
                    false);
        }
        boolean checkAddr = !s.skipCheckAdvAddr() || lastMasterAddress == null
                || !lastMasterAddress.equals(adv.source());
        if (checkAddr && p.addresses().size() != s.virtualIps().size()) {
            return Verdict.drop(DropReason.ADDRESS_LIST, prefix + "received an unexpected ip number count "
                    + p.addresses().size() + ", expected " + s.virtualIps().size() + "!", false);
        }
        if (!s.ipv6() || s.verifyIpv6Checksum()) {
            if (!adv.checksumValid(s.v3ChecksumAsV2())) {
                return Verdict.drop(DropReason.CHECKSUM, prefix + "Invalid VRRPv" + p.version() + " checksum",
                        false);
            }
        }
        boolean mcastDst = adv.destination().isMulticastAddress();
        if (mcastDst == unicast) {
            return Verdict.drop(DropReason.ADDRESS_LIST, prefix + "Expected " + (unicast ? "un" : "mult")
                    + "icast packet but received " + (unicast ? "mult" : "un") + "icast packet", false);
        }
        // From here on keepalived has counted the packet in advert_rcvd.
        if (checkAddr) {
            Set<InetAddress> inPacket = new HashSet<>(p.addresses());
            for (InetAddress vip : s.virtualIps()) {
                if (!inPacket.contains(vip)) {
                    return Verdict.drop(DropReason.ADDRESS_LIST, prefix + "ip address associated with VRID "
                            + s.vrid() + " not present in MASTER advert: " + vip.getHostAddress(), true);
                }
            }
            if (unicast && s.checkUnicastSrc()) {
                UnicastPeer peer = null;
                for (UnicastPeer u : s.unicastPeers()) {
                    if (u.address().equals(adv.source())) {
                        peer = u;
                        break;
                    }
                }
                if (peer == null) {
                    return Verdict.drop(DropReason.UNKNOWN_UNICAST_SOURCE, prefix + "unicast source address "
                            + adv.source().getHostAddress() + " not a unicast peer", true);
                }
                int min = peer.minTtl().orElse(0);
                int max = peer.maxTtl().orElse(255);
                if (adv.ttl() != -1 && (adv.ttl() < min || adv.ttl() > max)) {
                    return Verdict.drop(DropReason.TTL, prefix + "TTL/HL " + adv.ttl() + " not in range " + min
                            + " - " + max, true);
                }
            }
        }
        return Verdict.accept(p.priority() == 0);
    }

    /** True when this packet's VIP set equals ours (order-insensitive) — for diagnostics. */
    public boolean sameAddressList(VrrpPacket p) {
        return p.addresses().size() == vipSet.size() && vipSet.containsAll(p.addresses());
    }
}
