namespace Latchkey.Server.Tenants;

/// <summary>Auth0's <c>refresh_token.expiration_type</c> values.</summary>
public static class ExpirationTypes
{
    /// <summary>Refresh tokens have an absolute and an idle lifetime.</summary>
    public const string Expiring = "expiring";

    /// <summary>Only the idle lifetime applies.</summary>
    public const string NonExpiring = "non-expiring";

    public static readonly string[] All = [Expiring, NonExpiring];
}
