package io.javalived.config.model;

/** An entry of track_process: the vrrp_track_process's name and its effective weight and reverse flag. */
public record TrackedProcess(String name, int weight, boolean reverse) {}
