namespace Latchkey.Server.Management.Users.Search;

/// <summary><c>_exists_:field</c> (or <c>field:*</c>): the user has a value for the field.</summary>
internal sealed record UserQueryExists(string Field) : UserQuery;
