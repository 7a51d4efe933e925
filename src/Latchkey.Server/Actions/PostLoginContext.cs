using Latchkey.Server.Tenants;
using Latchkey.Server.Users;

namespace Latchkey.Server.Actions;

/// <summary>
/// What a post-login execution is about, in product words: the user, the Application, the API (null: a token for
/// <c>/userinfo</c> only), the scopes asked for, and the grant (<c>authorization_code</c>, <c>implicit</c>,
/// <c>refresh_token</c>). The HTTP request (IP, user agent, parameters) is read from the current request.
/// </summary>
internal sealed record PostLoginContext(User User, IReadOnlyCollection<string> Roles, Application Application, Api? Api, IReadOnlyCollection<string> RequestedScopes, string GrantType);
