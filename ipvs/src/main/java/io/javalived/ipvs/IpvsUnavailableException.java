package io.javalived.ipvs;

import io.javalived.netlink.NetlinkException;
import io.javalived.netlink.ffi.Errno;

/** The kernel has no IPVS (module not loaded or not built): the generic netlink family IPVS does not exist. */
public final class IpvsUnavailableException extends NetlinkException {
    public static final String MESSAGE =
            "IPVS is not available in this kernel (generic netlink family IPVS not found): load the ip_vs module";

    public IpvsUnavailableException() {
        super("CTRL_CMD_GETFAMILY IPVS", Errno.ENOENT, null);
    }

    @Override
    public String getMessage() {
        return MESSAGE;
    }
}
