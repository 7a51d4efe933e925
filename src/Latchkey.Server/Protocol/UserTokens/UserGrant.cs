namespace Latchkey.Server.Protocol.UserTokens;

/// <summary>
/// What a user is granted for one <see cref="UserTokenRequest"/>: the scopes that go into the tokens and, for an API
/// with RBAC, the permissions. Decided by <see cref="UserGrantPolicy"/> before the principal is built.
/// </summary>
internal sealed record UserGrant(IReadOnlySet<string> Scopes, IReadOnlyList<string> Permissions);
