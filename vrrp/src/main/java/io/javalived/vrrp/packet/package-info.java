/**
 * VRRPv2 (RFC 3768) / VRRPv3 (RFC 5798) advertisements: pure codec, checksums, keepalived's receive checks and
 * counters. No I/O.
 *
 * <h2>Sending (driver side)</h2>
 * <pre>{@code
 * VrrpPacket p = VrrpPacket.v2(vrid, priority, VrrpPacket.AUTH_PASS, VrrpPacket.passData("secret"), 1, vips);
 * //   or VrrpPacket.v3(vrid, priority, intervalCentis, vips)
 * byte[] msg = p.encode(srcAddr, dstAddr, v3ChecksumAsV2);   // VRRP message only; the kernel adds the IP header
 * }</pre>
 * For IPv6 the driver may instead send {@link VrrpPacket#encodeZeroChecksum()} and let the kernel fill the checksum
 * (setsockopt IPV6_CHECKSUM, offset {@link VrrpPacket#CHECKSUM_OFFSET}); {@link VrrpChecksum} computes the same value.
 *
 * <h2>Receiving</h2>
 * <pre>{@code
 * DecodeResult r = AdvertDecoder.decodeIpv4(buf, 0, n);                 // raw IPv4 socket: IP header included
 * DecodeResult r = AdvertDecoder.decodeIpv6(buf, 0, n, src, dst, hopLimit); // raw IPv6 socket: payload only,
 *                                                                        // hop limit from IPV6_HOPLIMIT cmsg
 * if (r instanceof DecodeResult.Dropped d) { counters.drop(d.reason()); log(d.message()); return; }
 * ReceivedAdvert adv = ((DecodeResult.Ok) r).advert();
 * // demultiplex on adv.packet().vrid() to the instance, then:
 * Verdict v = instanceValidator.validate(adv, stateMachine.lastMasterAddress()); // ValidatorSettings.from(...)
 * counters.record(v);                            // advert_rcvd, pri_zero_rcvd, or the drop counter
 * v.logLines().forEach(log::info);               // keepalived's line for a drop: "(VI_1) received an invalid passwd!"
 * if (v.accepted()) stateMachine.onAdvert(now, PeerAdvert.of(adv));
 * }</pre>
 * As keepalived 2.2.7 does, an advert whose address list differs from the configured VIPs is DROPPED (counted in
 * addr_list_err), not just logged — unless skip_check_adv_addr is set and it comes from the master already known.
 * Not supported: auth_type AH (such adverts arrive as IP protocol 51 and never reach a protocol-112 socket), and
 * the pre-1.3.6 keepalived unicast VRRPv3 checksum (pseudo-header with the multicast group as destination).
 * {@link VrrpCounters} keeps keepalived's per-instance statistics (advert_rcvd, ..., pri_zero_sent) as
 * thread-safe longs for the metrics endpoint; the driver calls {@link VrrpCounters#advertSent(int)} per advert sent
 * and {@link VrrpCounters#becomeMaster()} / {@link VrrpCounters#releaseMaster()} on the state machine's
 * {@code StateChanged} actions.
 */
package io.javalived.vrrp.packet;
