package io.javalived.netlink;

/** A malformed netlink message or attribute (truncated, bad length, missing required attribute). */
public class NetlinkFormatException extends RuntimeException {
    public NetlinkFormatException(String message) {
        super(message);
    }
}
