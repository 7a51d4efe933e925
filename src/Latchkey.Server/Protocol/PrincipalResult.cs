using System.Security.Claims;

namespace Latchkey.Server.Protocol;

/// <summary>
/// Either the principal to sign in, or an OAuth error (RFC 6749 §4.1.2.1 / §5.2 names) to return instead.
/// </summary>
internal sealed record PrincipalResult(ClaimsPrincipal? Principal, string? Error, string? ErrorDescription)
{
    public bool Succeeded => Principal is not null;

    public static PrincipalResult Success(ClaimsPrincipal principal) => new(principal, null, null);

    public static PrincipalResult Failure(string error, string description) => new(null, error, description);
}
