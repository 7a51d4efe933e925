namespace Latchkey.Server.Management.Users.Search;

/// <summary>
/// <c>field:[lower TO upper]</c> (bounds included) or <c>field:{lower TO upper}</c> (excluded); a bound of <c>*</c> is
/// open (null). Lucene allows mixing the brackets (<c>[a TO b}</c>), and so does this.
/// </summary>
internal sealed record UserQueryRange(string Field, string? Lower, bool IncludeLower, string? Upper, bool IncludeUpper) : UserQuery;
