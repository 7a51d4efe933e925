namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Keys</c>: the signing-key schedule every node follows (<c>Protocol/Keys/ProtocolKeyRing</c>).</summary>
public sealed class KeyOptions
{
    /// <summary>
    /// How long a key signs before the next one takes over (automatic rotation by one node). Auth0 leaves this manual;
    /// 90 days is NIST SP 800-57's order of magnitude for a signing key's active period and Keycloak's default cadence.
    /// </summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// The least time the next key is in the JWKS before automatic rotation signs with it, so a relying party that
    /// cached the JWKS already knows it (ASP.NET Core's JwtBearer refreshes every 12 hours, node SDKs sooner).
    /// </summary>
    public TimeSpan PublishBeforeUse { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often each node checks whether the scheduled rotation is due (and re-reads the key set as a fallback).
    /// Rotations and revocations themselves reach every node through the tenant version, within a second.
    /// </summary>
    public TimeSpan ScheduleCheckInterval { get; set; } = TimeSpan.FromMinutes(1);
}
