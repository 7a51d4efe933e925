using Latchkey.Server.Tenants;
using Latchkey.Server.Users;

namespace Latchkey.Server.Protocol.UserTokens;

/// <summary>
/// Everything a user's tokens are decided from, made explicit so that the decision steps (RBAC today, post-login
/// Actions in issue 10) see the same inputs: who (<see cref="User"/>, already checked by <c>UserAccess</c>), which
/// Application, which API (<c>Audience/AudienceResolver</c>; null means a token for <c>/userinfo</c> only), what was
/// asked for, and the transaction: the grant being issued, when the user authenticated and in which session.
/// </summary>
/// <param name="GrantType">
/// <c>authorization_code</c> or <c>implicit</c> at <c>/authorize</c>, <c>refresh_token</c> at the token endpoint
/// (OpenIddict's <c>GrantTypes</c> names).
/// </param>
/// <param name="AuthenticatedAt">Becomes <c>auth_time</c>; a refresh passes the original (docs/reference/auth0-wire.md R5.7).</param>
/// <param name="SessionId">The login session's <c>sid</c>, put in ID tokens when given.</param>
internal sealed record UserTokenRequest(
    User User,
    Application Application,
    Api? Api,
    IReadOnlyCollection<string> RequestedScopes,
    string GrantType,
    DateTimeOffset AuthenticatedAt,
    string? SessionId);
