package io.liteboxd.api.sandbox;

import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link ClusterPathQueriesTest} on Postgres (PostgresTestDatabase). */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class ClusterPathQueriesPostgresTest extends ClusterPathQueriesTest implements PostgresTestDatabase {}
