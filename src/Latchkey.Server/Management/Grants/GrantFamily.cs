namespace Latchkey.Server.Management.Grants;

/// <summary>
/// One OpenIddict authorization, read for the Management API: what a user granted an Application (Auth0's grant) and,
/// while it holds a usable refresh token, the refresh-token family that grant issued (Auth0's refresh token). Both
/// resources use the authorization's id, which stays the same across rotations.
/// </summary>
internal sealed record GrantFamily(
    string Id,
    string UserId,
    string ClientId,
    string Audience,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? CreatedAt,
    string? SessionId,
    RefreshTokenState? RefreshToken);

/// <summary>The family's current refresh token: when it idles out, and when the family was last exchanged.</summary>
internal sealed record RefreshTokenState(DateTimeOffset? IdleExpiresAt, DateTimeOffset? LastExchangedAt);
