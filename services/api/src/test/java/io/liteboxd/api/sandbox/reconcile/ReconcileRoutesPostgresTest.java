package io.liteboxd.api.sandbox.reconcile;

import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link ReconcileRoutesTest} on Postgres (PostgresTestDatabase). */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class ReconcileRoutesPostgresTest extends ReconcileRoutesTest implements PostgresTestDatabase {}
