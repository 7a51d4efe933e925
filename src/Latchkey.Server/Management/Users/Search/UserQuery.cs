namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// A parsed <c>q</c> of <c>GET /api/v2/users</c> (<see cref="UserQueryParser"/>): the subset of Lucene's query syntax that
/// Auth0's user search v3 documents and real queries use. <see cref="UserQueryFilter"/> turns it into SQL.
/// </summary>
internal abstract record UserQuery;
