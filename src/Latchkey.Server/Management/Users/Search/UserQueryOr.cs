namespace Latchkey.Server.Management.Users.Search;

/// <summary><c>a OR b</c>.</summary>
internal sealed record UserQueryOr(UserQuery Left, UserQuery Right) : UserQuery;
