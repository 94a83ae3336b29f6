package io.liteboxd.api.auth;

import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link AuthApiTest} on Postgres (PostgresTestDatabase). */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class AuthApiPostgresTest extends AuthApiTest implements PostgresTestDatabase {}
