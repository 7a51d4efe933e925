using Latchkey.Server.Tests.Infrastructure;

namespace Latchkey.Server.Tests.Management.UserSearch;

/// <summary>The search tests on SQLite.</summary>
public sealed class SqliteUserSearchFixture() : UserSearchFixture(StorageServer.Sqlite);

/// <summary>The search tests on PostgreSQL (a fresh database).</summary>
public sealed class PostgresUserSearchFixture() : UserSearchFixture(StorageServer.Postgres);

/// <summary><see cref="UserSearchApiTests{TFixture}"/> on SQLite.</summary>
public sealed class UserSearchSqliteTests(SqliteUserSearchFixture fixture)
    : UserSearchApiTests<SqliteUserSearchFixture>(fixture), IClassFixture<SqliteUserSearchFixture>;

/// <summary><see cref="UserSearchApiTests{TFixture}"/> on PostgreSQL.</summary>
public sealed class UserSearchPostgresTests(PostgresUserSearchFixture fixture)
    : UserSearchApiTests<PostgresUserSearchFixture>(fixture), IClassFixture<PostgresUserSearchFixture>;
