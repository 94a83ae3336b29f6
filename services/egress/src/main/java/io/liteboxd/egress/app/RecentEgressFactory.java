package io.liteboxd.egress.app;

import io.liteboxd.egress.RecentEgress;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The library's in-memory ring of recent decisions, one per process. */
@Factory
class RecentEgressFactory {

    @Singleton
    RecentEgress recentEgress(EgressSettings settings) {
        return new RecentEgress(settings.recentCapacity());
    }
}
