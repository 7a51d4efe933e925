using Latchkey.Server.Tenants;

namespace Latchkey.Server.Protocol.Token;

/// <summary>Auth0's refresh-token expiration: an absolute lifetime per family and an idle lifetime per token.</summary>
internal static class RefreshTokenLifetimes
{
    /// <summary>The lifetime of the next refresh token of a family that started at <paramref name="familyCreatedAt"/>.</summary>
    public static TimeSpan Next(RefreshTokenPolicy policy, DateTimeOffset familyCreatedAt, DateTimeOffset now)
    {
        var idle = TimeSpan.FromSeconds(Math.Max(1, policy.IdleTokenLifetime));
        if (string.Equals(policy.ExpirationType, ExpirationTypes.NonExpiring, StringComparison.Ordinal))
        {
            return idle;
        }

        var remaining = familyCreatedAt + TimeSpan.FromSeconds(Math.Max(1, policy.TokenLifetime)) - now;

        // An exhausted family gets a token that is already expired rather than none at all: OpenIddict then rejects it
        // like any expired refresh token ("Unknown or invalid refresh token.").
        return remaining < idle ? (remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1)) : idle;
    }
}
