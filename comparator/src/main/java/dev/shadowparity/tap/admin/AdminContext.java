package dev.shadowparity.tap.admin;

import dev.shadowparity.ParityEngine;
import dev.shadowparity.store.Store;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;

/**
 * What the admin routes work on.
 *
 * @param started   when the tap started (for {@code /health})
 * @param tokenSet  whether the admin API needs a bearer token (routes that change what is reviewed need one)
 * @param fleet     the fleet's evidence, read from the shared store ({@code scope=fleet})
 */
record AdminContext(ParityEngine engine, Store store, PrometheusMeterRegistry registry, Instant started, boolean tokenSet,
    FleetEvidence fleet) {}
