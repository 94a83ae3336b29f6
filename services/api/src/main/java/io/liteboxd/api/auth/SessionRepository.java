package io.liteboxd.api.auth;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

@JdbcRepository(dialect = Dialect.ANSI)
public interface SessionRepository extends CrudRepository<Session, String> {

    /** Every session of the user: a password reset logs everyone out. */
    void deleteByUserId(String userId);

    /** Every session of the user but one: a password change keeps the caller logged in. */
    void deleteByUserIdAndIdNotEqual(String userId, String id);
}
