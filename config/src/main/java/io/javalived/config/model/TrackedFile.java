package io.javalived.config.model;

/** An entry of track_file in a vrrp_instance or sync group; weight/reverse effective (entry's else the track_file's). */
public record TrackedFile(String name, int weight, boolean reverse) {}
