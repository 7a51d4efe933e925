namespace Latchkey.Server.Tenants;

/// <summary>Auth0's per-application refresh-token settings.</summary>
public sealed class RefreshTokenPolicy
{
    /// <summary><see cref="RotationTypes.Rotating"/> or <see cref="RotationTypes.NonRotating"/>.</summary>
    public string RotationType { get; set; } = RotationTypes.Rotating;

    /// <summary><see cref="ExpirationTypes.Expiring"/> or <see cref="ExpirationTypes.NonExpiring"/>.</summary>
    public string ExpirationType { get; set; } = ExpirationTypes.Expiring;

    /// <summary>Reuse interval in seconds. Auth0's default is 0: a replayed rotated token fails and revokes the family.</summary>
    public int Leeway { get; set; }

    /// <summary>Absolute lifetime in seconds (Auth0 default: 2592000 = 30 days).</summary>
    public int TokenLifetime { get; set; } = 2_592_000;

    /// <summary>Idle lifetime in seconds (Auth0 default: 1296000 = 15 days).</summary>
    public int IdleTokenLifetime { get; set; } = 1_296_000;

    /// <summary>
    /// Strict rotation: every refresh token is single-use, with no reuse interval (Auth0's default). A rotated token
    /// presented again is a replay, and two simultaneous uses of one token must not both succeed.
    /// </summary>
    public bool IsStrictRotation => string.Equals(RotationType, RotationTypes.Rotating, StringComparison.Ordinal) && Leeway <= 0;

    /// <summary>
    /// Whether a refresh token redeemed at <paramref name="redeemedAt"/> may be used again at <paramref name="now"/>:
    /// always for non-rotating clients, within the reuse interval (<see cref="Leeway"/>) for rotating ones.
    /// </summary>
    public bool AllowsReuse(DateTimeOffset? redeemedAt, DateTimeOffset now) =>
        string.Equals(RotationType, RotationTypes.NonRotating, StringComparison.Ordinal)
        || (Leeway > 0 && redeemedAt is { } at && now < at + TimeSpan.FromSeconds(Leeway));
}
