namespace Latchkey.Server.Management.Users.Search;

/// <summary><c>a AND b</c>, or <c>a b</c> (Auth0's default operator between clauses is AND).</summary>
internal sealed record UserQueryAnd(UserQuery Left, UserQuery Right) : UserQuery;
