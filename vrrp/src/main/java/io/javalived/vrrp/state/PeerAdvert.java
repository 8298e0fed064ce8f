package io.javalived.vrrp.state;

import io.javalived.vrrp.packet.ReceivedAdvert;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A validated advert as the state machine sees it.
 *
 * @param source              IP source address of the sender (its primary address)
 * @param priority            advertised priority 0..255
 * @param advertIntervalNanos advertised interval (v3: Max Adver Int, adopted by backups; v2: informative)
 */
public record PeerAdvert(InetAddress source, int priority, long advertIntervalNanos) {
    public PeerAdvert {
        Objects.requireNonNull(source, "source");
        if (priority < 0 || priority > 255) {
            throw new IllegalArgumentException("priority out of range: " + priority);
        }
        if (advertIntervalNanos < 0) {
            throw new IllegalArgumentException("negative interval");
        }
    }

    /** From a received (and accepted) advert. */
    public static PeerAdvert of(ReceivedAdvert adv) {
        return new PeerAdvert(adv.source(), adv.packet().priority(), adv.packet().advertIntervalNanos());
    }
}
