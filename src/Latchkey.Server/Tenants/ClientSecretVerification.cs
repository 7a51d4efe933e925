namespace Latchkey.Server.Tenants;

/// <summary>The outcome of <see cref="ClientSecretHasher.Verify"/>.</summary>
public enum ClientSecretVerification
{
    Failed,
    Success,

    /// <summary>The secret is right but stored in an older format; store <see cref="ClientSecretHasher.Hash"/> of it.</summary>
    SuccessRehashNeeded,
}
