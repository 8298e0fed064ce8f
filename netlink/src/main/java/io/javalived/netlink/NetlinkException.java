package io.javalived.netlink;

import io.javalived.netlink.ffi.Errno;
import io.javalived.netlink.ffi.NativeException;

/**
 * The kernel refused a netlink request (an NLMSG_ERROR with a negative error), or a netlink socket call failed. The
 * message names the request and the errno: {@code "IPVS_CMD_NEW_SERVICE TCP 10.0.0.1:80 failed: EEXIST (File exists)"}.
 */
public class NetlinkException extends NativeException {
    private final String request;
    private final String kernelMessage;

    public NetlinkException(String request, int errno, String kernelMessage) {
        super(request, errno, kernelMessage == null || kernelMessage.isEmpty() ? null : "kernel: " + kernelMessage);
        this.request = request;
        this.kernelMessage = kernelMessage;
    }

    /** "EEXIST", "ENOENT"... */
    public String errnoName() {
        return Errno.name(errno());
    }

    /** The request that failed, as described by its sender. */
    public String request() {
        return request;
    }

    /** The kernel's extended-ack text, or null. */
    public String kernelMessage() {
        return kernelMessage;
    }
}
