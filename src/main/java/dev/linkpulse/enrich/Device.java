package dev.linkpulse.enrich;

import dev.linkpulse.clicks.TrafficClass;

/** What a user agent says about the visitor; browser and os are family names or null. */
public record Device(String deviceType, String browser, String os, TrafficClass trafficClass) {}
