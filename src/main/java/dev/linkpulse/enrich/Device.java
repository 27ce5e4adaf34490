package dev.linkpulse.enrich;

import dev.linkpulse.clicks.TrafficClass;

/** What a user agent says about the visitor; browser and os are family names or null. */
public record Device(String deviceType, String browser, String os, TrafficClass trafficClass,
        String brand, String model, String browserVersion, String osVersion) {

    /** Without brand, model and versions (unfurlers and agents Yauaa cannot place). */
    public Device(String deviceType, String browser, String os, TrafficClass trafficClass) {
        this(deviceType, browser, os, trafficClass, null, null, null, null);
    }
}
