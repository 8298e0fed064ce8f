package io.javalived.demo;

import java.util.List;

/**
 * The demo lab's names and addresses (pure data). Every namespace is named {@code jvdemo-PID-ROLE}, so that labs of
 * different demo processes never collide and a lab can be found (and deleted) by its prefix. Link names are short
 * and exist only inside the lab's namespaces: {@code br0} and the ports {@code pROLE} in the switch, {@code eth0} in
 * each node. Addresses are 10.255.0.0/24, only inside the namespaces; each node's eth0 gets a fixed, locally
 * administered MAC (02:00:0a:ff:00:HOST) so that the output can say which director answers for the VIP.
 */
public record LabPlan(long pid) {
    public static final String VIP = "10.255.0.100";
    public static final String PREFIX = "jvdemo-";

    /** One node of the lab. */
    public record Node(String role, String title, String address, String mac) {
        /** The switch port's name (in the switch namespace). */
        public String port() {
            return "p" + role;
        }
    }

    public static final Node DIRECTOR_A = node("a", "director A", 1);
    public static final Node DIRECTOR_B = node("b", "director B", 2);
    public static final Node WEB1 = node("web1", "web 1", 11);
    public static final Node WEB2 = node("web2", "web 2", 12);
    public static final Node CLIENT = node("client", "client", 50);

    private static Node node(String role, String title, int host) {
        return new Node(role, title, "10.255.0." + host, String.format("02:00:0a:ff:00:%02x", host));
    }

    /** The nodes, in the order they are created. */
    public static List<Node> nodes() {
        return List.of(DIRECTOR_A, DIRECTOR_B, WEB1, WEB2, CLIENT);
    }

    /** {@code jvdemo-PID-}: the prefix of every namespace of this lab. */
    public String prefix() {
        return PREFIX + pid + "-";
    }

    /** The switch namespace (bridge br0). */
    public String switchNs() {
        return prefix() + "switch";
    }

    public String ns(Node n) {
        return prefix() + n.role();
    }

    /** Every namespace of the lab, the switch first. */
    public List<String> namespaces() {
        return List.of(switchNs(), ns(DIRECTOR_A), ns(DIRECTOR_B), ns(WEB1), ns(WEB2), ns(CLIENT));
    }

    /** The node whose eth0 has {@code mac}, or null. */
    public static Node byMac(String mac) {
        for (Node n : nodes()) {
            if (n.mac().equalsIgnoreCase(mac)) {
                return n;
            }
        }
        return null;
    }

    /**
     * The demo process id of a namespace named by any demo lab ({@code jvdemo-PID-ROLE}), or -1 if the name is not a
     * demo lab's.
     */
    public static long labPid(String namespace) {
        if (!namespace.startsWith(PREFIX)) {
            return -1;
        }
        String rest = namespace.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        if (dash <= 0) {
            return -1;
        }
        try {
            return Long.parseLong(rest.substring(0, dash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
