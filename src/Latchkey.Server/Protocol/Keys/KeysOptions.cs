namespace Latchkey.Server.Protocol.Keys;

/// <summary>Options bound from <c>Latchkey:Keys</c>: the signing-key schedule every node follows.</summary>
public sealed class KeysOptions
{
    public const string Section = "Latchkey:Keys";

    /// <summary>How long a key signs before the next one takes over (automatic rotation). Auth0 leaves this manual; 90 days is NIST SP 800-57's order of magnitude for a signing key's active period and Keycloak's default rotation cadence.</summary>
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// The least time the next key is in the JWKS before automatic rotation signs with it, so a relying party that
    /// cached the JWKS already knows it (ASP.NET Core's JwtBearer refreshes every 12 hours, node SDKs sooner).
    /// </summary>
    public TimeSpan PublishBeforeUse { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often each node re-reads the key set: the bound on how long a rotation or revocation made on one node takes to reach the others.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}
