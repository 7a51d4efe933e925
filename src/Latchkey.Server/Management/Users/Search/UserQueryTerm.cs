namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// <c>field:value</c> or <c>field:"a phrase"</c> (an exact value), or <c>field:prefix*</c> (<see cref="Prefix"/>, the
/// value without its trailing <c>*</c>).
/// </summary>
internal sealed record UserQueryTerm(string Field, string Value, bool Prefix) : UserQuery;
