using Latchkey.Server.Protocol.Token;
using Latchkey.Server.Tenants;

namespace Latchkey.Server.Tests.Protocol;

/// <summary>RT-6 / RT-7: Auth0's absolute and idle refresh-token lifetimes, computed with explicit times.</summary>
[Trait("Rule", "RT-6")]
[Trait("Rule", "RT-7")]
public sealed class RefreshTokenLifetimesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private static readonly RefreshTokenPolicy Policy = new() { TokenLifetime = 30 * 86400, IdleTokenLifetime = 15 * 86400 };

    [Fact]
    public void Next_NewFamily_IsTheIdleLifetime() =>
        Assert.Equal(TimeSpan.FromDays(15), RefreshTokenLifetimes.Next(Policy, Start, Start));

    [Fact]
    public void Next_RotationNearTheEnd_NeverPassesTheAbsoluteLifetime()
    {
        var now = Start + TimeSpan.FromDays(25);

        var lifetime = RefreshTokenLifetimes.Next(Policy, Start, now);

        Assert.Equal(Start + TimeSpan.FromDays(30), now + lifetime);
    }

    [Fact]
    public void Next_FamilyPastItsAbsoluteLifetime_IsAlreadyAlmostExpired()
    {
        var lifetime = RefreshTokenLifetimes.Next(Policy, Start, Start + TimeSpan.FromDays(31));

        Assert.Equal(TimeSpan.FromSeconds(1), lifetime);
    }

    [Fact]
    public void Next_NonExpiring_IsOnlyIdleBound()
    {
        var policy = new RefreshTokenPolicy { ExpirationType = "non-expiring", IdleTokenLifetime = 3600 };

        Assert.Equal(TimeSpan.FromHours(1), RefreshTokenLifetimes.Next(policy, Start, Start + TimeSpan.FromDays(400)));
    }
}
