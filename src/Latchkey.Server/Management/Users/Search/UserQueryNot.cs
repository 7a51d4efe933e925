namespace Latchkey.Server.Management.Users.Search;

/// <summary><c>NOT a</c> (or <c>-a</c>).</summary>
internal sealed record UserQueryNot(UserQuery Inner) : UserQuery;
