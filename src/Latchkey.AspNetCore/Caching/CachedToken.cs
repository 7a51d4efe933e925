using System.Security.Claims;

namespace Latchkey.AspNetCore.Caching;

/// <summary>
/// A token whose signature and claims were validated once. <see cref="ExpiresUtcTicks"/> is the token's own <c>exp</c>
/// (skew not added): after it the token goes through full validation again.
/// </summary>
internal sealed record CachedToken(Claim[] Claims, string? AuthenticationType, string? NameType, string? RoleType, long ExpiresUtcTicks, string? KeyId, long Bytes)
{
    private volatile bool _removed;

    /// <summary>True once the cache dropped this entry (expiry, key rotation, size bound): holders must revalidate.</summary>
    public bool Removed => _removed;

    public void MarkRemoved() => _removed = true;

    /// <summary>A fresh identity for one request over the shared, read-only claims.</summary>
    public ClaimsIdentity CreateIdentity() => new CachedClaimsIdentity(Claims, AuthenticationType, NameType, RoleType);
}
