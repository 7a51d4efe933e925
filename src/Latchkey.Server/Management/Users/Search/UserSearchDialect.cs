namespace Latchkey.Server.Management.Users.Search;

/// <summary>The database a search runs on: a few clauses take a different SQL form on each, so that an index serves them.</summary>
internal enum UserSearchDialect
{
    Sqlite,
    Postgres,
}
