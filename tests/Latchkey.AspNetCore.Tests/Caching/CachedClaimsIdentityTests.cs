using System.Security.Claims;
using Latchkey.AspNetCore.Caching;

namespace Latchkey.AspNetCore.Tests.Caching;

public sealed class CachedClaimsIdentityTests
{
    private static readonly Claim[] Shared = [new("sub", "user-1"), new("scope", "read:messages"), new("permissions", "a"), new("permissions", "b")];

    [Fact]
    public void SharedClaims_AnyClaimsApi_SeesThem()
    {
        var identity = new CachedClaimsIdentity(Shared, "Bearer", "sub", "roles");
        Assert.True(identity.IsAuthenticated);
        Assert.Equal("user-1", identity.Name);
        Assert.Equal("read:messages", identity.FindFirst("scope")?.Value);
        Assert.Equal(2, identity.FindAll("permissions").Count());
        Assert.True(identity.HasClaim("permissions", "b"));
        Assert.True(new ClaimsPrincipal(identity).HasClaim("sub", "user-1"));
    }

    [Fact]
    public void AddedClaim_StaysInThisInstance_NotInSharedArrayOrSiblings()
    {
        var first = new CachedClaimsIdentity(Shared, "Bearer", "sub", "roles");
        var second = new CachedClaimsIdentity(Shared, "Bearer", "sub", "roles");
        first.AddClaim(new Claim("scope", "admin"));
        Assert.True(first.HasClaim("scope", "admin"));
        Assert.False(second.HasClaim("scope", "admin"));
        Assert.Equal(4, Shared.Length);
    }

    [Fact]
    public void SharedClaim_Remove_IsRefused()
    {
        var identity = new CachedClaimsIdentity(Shared, "Bearer", "sub", "roles");
        Assert.False(identity.TryRemoveClaim(Shared[1]));
        Assert.True(identity.HasClaim("scope", "read:messages"));
    }

    [Fact]
    public void Clone_SharedAndAddedClaims_AreCopied()
    {
        var identity = new CachedClaimsIdentity(Shared, "Bearer", "sub", "roles");
        identity.AddClaim(new Claim("extra", "1"));
        var clone = identity.Clone();
        Assert.Equal(5, clone.Claims.Count());
        Assert.Equal("user-1", clone.Name);
        Assert.Equal("Bearer", clone.AuthenticationType);
    }
}
