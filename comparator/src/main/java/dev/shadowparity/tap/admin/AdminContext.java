package dev.shadowparity.tap.admin;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;

/**
 * What the admin routes work on.
 *
 * @param started when the tap started (for {@code /health})
 */
record AdminContext(ParityEngine engine, Store store, PrometheusMeterRegistry registry, Instant started) {}
