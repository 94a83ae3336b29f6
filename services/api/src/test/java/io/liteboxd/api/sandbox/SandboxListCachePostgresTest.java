package io.liteboxd.api.sandbox;

import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link SandboxListCacheTest} on Postgres (PostgresTestDatabase): change times there are timestamptz text. */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class SandboxListCachePostgresTest extends SandboxListCacheTest implements PostgresTestDatabase {}
