package io.javalived.ipvs;

import io.javalived.inet.InetText;
import java.util.Objects;

/**
 * One change to the kernel's IPVS table. {@link #toString()} is the equivalent ipvsadm command line, used in logs and
 * error reports ("-a -t 10.0.0.1:80 -r 10.0.0.2:80 -m -w 1").
 *
 * @param kind    what to do
 * @param service the service (for destination operations: the service the destination belongs to)
 * @param dest    the destination, null for service operations
 */
public record IpvsOp(Kind kind, Service service, Destination dest) {
    public enum Kind {
        ADD_SERVICE(Ipvs.CMD_NEW_SERVICE, "-A"), EDIT_SERVICE(Ipvs.CMD_SET_SERVICE, "-E"),
        DELETE_SERVICE(Ipvs.CMD_DEL_SERVICE, "-D"), ADD_DEST(Ipvs.CMD_NEW_DEST, "-a"),
        EDIT_DEST(Ipvs.CMD_SET_DEST, "-e"), DELETE_DEST(Ipvs.CMD_DEL_DEST, "-d");

        private final int cmd;
        private final String option;

        Kind(int cmd, String option) {
            this.cmd = cmd;
            this.option = option;
        }

        public int cmd() {
            return cmd;
        }

        public boolean isDest() {
            return this == ADD_DEST || this == EDIT_DEST || this == DELETE_DEST;
        }
    }

    public IpvsOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(service, "service");
        if (kind.isDest() != (dest != null)) {
            throw new IllegalArgumentException(kind + (dest == null ? " needs a destination" : " takes no destination"));
        }
    }

    public static IpvsOp addService(Service s) {
        return new IpvsOp(Kind.ADD_SERVICE, s, null);
    }

    public static IpvsOp editService(Service s) {
        return new IpvsOp(Kind.EDIT_SERVICE, s, null);
    }

    public static IpvsOp deleteService(Service s) {
        return new IpvsOp(Kind.DELETE_SERVICE, s, null);
    }

    public static IpvsOp addDest(Service s, Destination d) {
        return new IpvsOp(Kind.ADD_DEST, s, d);
    }

    public static IpvsOp editDest(Service s, Destination d) {
        return new IpvsOp(Kind.EDIT_DEST, s, d);
    }

    public static IpvsOp deleteDest(Service s, Destination d) {
        return new IpvsOp(Kind.DELETE_DEST, s, d);
    }

    public ServiceKey key() {
        return service.key();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ADD_SERVICE -> IpvsText.addService(service);
            case EDIT_SERVICE -> "-E" + IpvsText.addService(service).substring(2);
            case DELETE_SERVICE -> "-D " + IpvsText.keyOptions(service.key());
            case ADD_DEST -> "-a " + IpvsText.keyOptions(service.key()) + " " + IpvsText.destOptions(dest);
            case EDIT_DEST -> "-e " + IpvsText.keyOptions(service.key()) + " " + IpvsText.destOptions(dest);
            case DELETE_DEST -> "-d " + IpvsText.keyOptions(service.key()) + " -r " + InetText.hostPort(dest.address(), dest.port());
        };
    }
}
