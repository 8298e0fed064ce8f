package io.javalived.config.model;

/** An entry of track_interface: interface name, weight (0 = fault when down), reverse. */
public record TrackedInterface(String name, int weight, boolean reverse) {}
