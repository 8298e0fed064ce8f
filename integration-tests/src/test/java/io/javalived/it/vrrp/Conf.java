package io.javalived.it.vrrp;

/** keepalived.conf text for the VRRP lab (works for javalived and keepalived alike). */
final class Conf {
    String routerId = "jvv";
    int version = 2;
    String instance = "VI_1";
    int vrid = 51;
    int priority = 100;
    String state = "BACKUP";
    String advertInt = "1";
    String vip = VrrpLab.VIP + "/24";
    boolean nopreempt;
    String preemptDelay;
    String authPass;
    String unicastSrc;
    String[] unicastPeers;
    String extraInstance = "";
    String extraGlobal = "";
    String extraTop = "";
    boolean ipv6;
    /** The VIP's dev; null: none (it goes on the instance's interface, or its VMAC with use_vmac). */
    String vipDev = "eth0";

    Conf priority(int p) {
        priority = p;
        return this;
    }

    Conf version(int v, String adv) {
        version = v;
        advertInt = adv;
        return this;
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        sb.append("global_defs {\n    router_id ").append(routerId).append("\n    vrrp_version ").append(version)
                .append("\n    vrrp_garp_master_delay 1\n    vrrp_garp_master_repeat 2\n").append(extraGlobal)
                .append("}\n").append(extraTop);
        sb.append(instanceText(instance, vrid, priority, vip));
        return sb.toString();
    }

    String instanceText(String name, int id, int prio, String address) {
        StringBuilder sb = new StringBuilder();
        sb.append("vrrp_instance ").append(name).append(" {\n    state ").append(state)
                .append("\n    interface eth0\n    virtual_router_id ").append(id).append("\n    priority ").append(prio)
                .append("\n    advert_int ").append(advertInt).append('\n');
        if (ipv6) {
            sb.append("    native_ipv6\n");
        }
        if (nopreempt) {
            sb.append("    nopreempt\n");
        }
        if (preemptDelay != null) {
            sb.append("    preempt_delay ").append(preemptDelay).append('\n');
        }
        if (authPass != null) {
            sb.append("    authentication {\n        auth_type PASS\n        auth_pass ").append(authPass)
                    .append("\n    }\n");
        }
        if (unicastPeers != null) {
            if (unicastSrc != null) {
                sb.append("    unicast_src_ip ").append(unicastSrc).append('\n');
            }
            sb.append("    unicast_peer {\n");
            for (String p : unicastPeers) {
                sb.append("        ").append(p).append('\n');
            }
            sb.append("    }\n");
        }
        sb.append(extraInstance);
        sb.append("    virtual_ipaddress {\n        ").append(address).append(vipDev == null ? "" : " dev " + vipDev)
                .append("\n    }\n}\n");
        return sb.toString();
    }
}
