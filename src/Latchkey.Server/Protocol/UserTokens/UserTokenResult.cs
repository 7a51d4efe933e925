using System.Security.Claims;

namespace Latchkey.Server.Protocol.UserTokens;

/// <summary>
/// What <see cref="UserTokenPrincipal"/> decided: the principal to issue, or an OAuth error for the client when a
/// post-login Action denied access or failed (docs/actions.md). <c>/authorize</c> sends the error to the redirect URI;
/// the token endpoint answers it (403 for <c>access_denied</c>, as Auth0).
/// </summary>
internal sealed record UserTokenResult(ClaimsPrincipal? Principal, string? Error, string? ErrorDescription)
{
    public static UserTokenResult Issued(ClaimsPrincipal principal) => new(principal, null, null);

    public static UserTokenResult Refused(string error, string description) => new(null, error, description);
}
