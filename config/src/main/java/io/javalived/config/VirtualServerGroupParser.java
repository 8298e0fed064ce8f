package io.javalived.config;

import io.javalived.config.Values.BadValue;
import io.javalived.config.model.Origin;
import io.javalived.config.model.VirtualServer;
import io.javalived.config.model.VirtualServerGroup;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * virtual_server_group (keepalived's check_parser.c): address ranges and fwmarks; a group defined again adds its
 * entries to the first definition.
 */
final class VirtualServerGroupParser extends BlockParser {
    VirtualServerGroupParser(ParseContext cx) {
        super(cx);
    }

    /** Reads one virtual_server_group block. */
    void parse(ConfigNode n) throws ConfigException {
        String name = arg(n, 0);
        if (!needBlock(n)) {
            return;
        }
        List<VirtualServerGroup.Entry> entries = new ArrayList<>();
        if (cx.vsGroups.containsKey(name)) {
            note(n, "virtual_server_group " + name + " defined again - its entries are added to the first");
            entries.addAll(cx.vsGroups.get(name).entries());
        }
        each(n, e -> {
            noBlock(e);
            if (e.keyword.equals("fwmark")) {
                int mark = (int) longArg(e, 0, 1, 4294967295L);
                Optional<VirtualServer.IpFamily> fam = Optional.empty();
                if (e.args.size() > 1) {
                    fam = Optional.of(switch (e.args.get(1)) {
                        case "inet" -> VirtualServer.IpFamily.INET;
                        case "inet6" -> VirtualServer.IpFamily.INET6;
                        default -> throw err(e, "unknown address family '" + e.args.get(1) + "' (inet|inet6)");
                    });
                }
                entries.add(new VirtualServerGroup.Entry(Optional.empty(), Optional.empty(), 0, mark, fam));
                return;
            }
            InetAddress[] range = addressRange(e, e.keyword);
            int port = e.args.isEmpty() ? 0 : portArg(e, 0);
            extraArgs(e, 1);
            entries.add(new VirtualServerGroup.Entry(Optional.of(range[0]), Optional.of(range[1]), port, 0,
                    Optional.empty()));
        });
        if (entries.isEmpty()) {
            cx.warnings.add(new ConfigWarning(n.file, n.line, n.keyword, "virtual_server_group " + name + " is empty"));
        }
        Origin at = cx.vsGroups.containsKey(name) ? cx.vsGroups.get(name).origin() : origin(n);
        cx.vsGroups.put(name, new VirtualServerGroup(name, entries, at));
    }

    /** ADDR, ADDR-LASTOCTET(or last group), ADDR-ADDR, ADDR/LEN. */
    private InetAddress[] addressRange(ConfigNode e, String text) throws ConfigException {
        int dash = text.indexOf('-');
        int slash = text.indexOf('/');
        try {
            if (slash >= 0) {
                InetAddress a = Values.parseAddress(text.substring(0, slash));
                byte[] b = a.getAddress();
                int len = Values.parseInt(text.substring(slash + 1), 0, b.length * 8);
                byte[] lo = b.clone();
                byte[] hi = b.clone();
                for (int bit = len; bit < b.length * 8; bit++) {
                    lo[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
                    hi[bit / 8] |= (byte) (0x80 >> (bit % 8));
                }
                return new InetAddress[] {InetAddress.getByAddress(lo), InetAddress.getByAddress(hi)};
            }
            if (dash < 0) {
                InetAddress a = Values.parseAddress(text);
                return new InetAddress[] {a, a};
            }
            InetAddress a = Values.parseAddress(text.substring(0, dash));
            String end = text.substring(dash + 1);
            InetAddress last = Values.tryAddress(end);
            if (last == null) {
                byte[] b = a.getAddress();
                if (Values.isV6(a)) {
                    int v = Integer.parseInt(end, 16);
                    if (v < 0 || v > 0xffff) {
                        throw new BadValue("bad range end");
                    }
                    b[14] = (byte) (v >> 8);
                    b[15] = (byte) v;
                } else {
                    b[3] = (byte) Values.parseInt(end, 0, 255);
                }
                last = InetAddress.getByAddress(b);
            }
            if (Values.isV6(a) != Values.isV6(last)
                    || new java.math.BigInteger(1, last.getAddress()).compareTo(new java.math.BigInteger(1, a.getAddress())) < 0) {
                throw new BadValue("bad range");
            }
            return new InetAddress[] {a, last};
        } catch (BadValue | NumberFormatException | java.net.UnknownHostException ex) {
            throw err(e, "invalid virtual server group address or range '" + text + "'");
        }
    }
}
