package io.liteboxd.api.template;

import io.liteboxd.api.PostgresTestDatabase;
import io.liteboxd.api.storage.DatabaseMode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link TemplateApiTest} on Postgres (PostgresTestDatabase). */
@MicronautTest(environments = DatabaseMode.POSTGRES_ENVIRONMENT, transactional = false)
class TemplateApiPostgresTest extends TemplateApiTest implements PostgresTestDatabase {}
