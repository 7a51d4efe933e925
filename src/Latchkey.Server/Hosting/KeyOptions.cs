namespace Latchkey.Server.Hosting;

/// <summary><c>Latchkey:Keys</c>: lifetime and rotation of the token-signing keys.</summary>
public sealed class KeyOptions
{
    /// <summary>Validity of a new signing key (its certificate's NotBefore to NotAfter).</summary>
    public TimeSpan SigningKeyLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>A start-up that finds the newest signing key with less than this left adds its successor.</summary>
    public TimeSpan RotateBefore { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long an expired signing key stays in the JWKS, so tokens it signed still verify; must exceed the longest
    /// token lifetime.
    /// </summary>
    public TimeSpan RetainAfterExpiry { get; set; } = TimeSpan.FromDays(31);
}
