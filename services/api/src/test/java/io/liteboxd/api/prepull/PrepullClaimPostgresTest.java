package io.liteboxd.api.prepull;

import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link PrepullClaimTest} on Postgres (PostgresTestDatabase). */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class PrepullClaimPostgresTest extends PrepullClaimTest implements PostgresTestDatabase {}
