namespace Latchkey.Server.Management.Users.Search;

/// <summary>A <c>q</c> outside the supported subset; the message names the part, for Auth0's 400 <c>invalid_query_string</c>.</summary>
internal sealed class UserQuerySyntaxException(string message) : Exception(message);
