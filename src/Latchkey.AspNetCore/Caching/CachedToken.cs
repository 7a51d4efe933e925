using System.Security.Claims;

namespace Latchkey.AspNetCore.Caching;

/// <summary>
/// A token whose signature and claims were validated once. <see cref="ExpiresUtcTicks"/> is the token's own <c>exp</c>
/// (skew not added): after it the token goes through full validation again.
/// </summary>
internal sealed record CachedToken(Claim[] Claims, string? AuthenticationType, string? NameType, string? RoleType, long ExpiresUtcTicks, string? KeyId, long Bytes)
{
    /// <summary>A fresh identity for one request over the shared, read-only claims.</summary>
    public ClaimsIdentity CreateIdentity() => new CachedClaimsIdentity(Claims, AuthenticationType, NameType, RoleType);
}
