package io.javalived.netlink.ffi;

import java.io.IOException;

/** A failed libc call: names the call, errno and what it was doing. */
public class NativeException extends IOException {
    private final int errno;

    public NativeException(String call, int errno, String context) {
        super(call + " failed: " + Errno.describe(errno) + (context == null || context.isEmpty() ? "" : " (" + context + ")"));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
