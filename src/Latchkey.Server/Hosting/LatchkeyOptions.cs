namespace Latchkey.Server.Hosting;

/// <summary>Options bound from the configuration section <c>Latchkey</c>.</summary>
public sealed class LatchkeyOptions
{
    public const string Section = "Latchkey";

    /// <summary>
    /// The issuer, with exactly one trailing slash (Auth0 SDKs build it as <c>domain + "/"</c>).
    /// Defaults to the first URL in <c>--urls</c> plus <c>/</c>.
    /// </summary>
    public Uri? Issuer { get; set; }

    /// <summary>Path of a tenant file (Auth0 Management API v2 shapes) applied at start-up.</summary>
    public string? Import { get; set; }

    /// <summary>Seed the development tenant when the database is empty and no import is given.</summary>
    public bool SeedDevelopmentTenant { get; set; } = true;
}
