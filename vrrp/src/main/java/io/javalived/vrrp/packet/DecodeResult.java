package io.javalived.vrrp.packet;

/** Outcome of decoding a received datagram: {@link Ok} or {@link Dropped}. Decoding never throws. */
public sealed interface DecodeResult {

    /** A well-formed advertisement (still to be validated against the instance). */
    record Ok(ReceivedAdvert advert) implements DecodeResult {}

    /** A malformed datagram; {@code message} is a log line without the instance prefix. */
    record Dropped(DropReason reason, String message) implements DecodeResult {}

    /** Result of {@link VrrpPacket#parse}: a packet or an error. */
    record Parsed(VrrpPacket packet, DropReason error, String message) {
        static Parsed ok(VrrpPacket p) {
            return new Parsed(p, null, null);
        }

        static Parsed error(DropReason r, String m) {
            return new Parsed(null, r, m);
        }

        public boolean ok() {
            return packet != null;
        }
    }
}
