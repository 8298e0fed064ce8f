package io.javalived.config.model;

/** lb_kind / lvs_method: NAT (masquerading), DR (direct routing / gatewaying), TUN (IP-in-IP tunnelling). */
public enum LvsMethod { NAT, DR, TUN }
