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

    /// <summary>
    /// Seed the development tenant (whose M2M secret and demo password are printed to standard output) when the database
    /// has no applications and no import is given. Unset: only in the Development environment (<c>dotnet run</c>);
    /// <c>true</c>: in any environment, with a warning; <c>false</c>: never.
    /// </summary>
    public bool? SeedDevelopmentTenant { get; set; }

    /// <summary>Reverse proxies whose forwarded headers are believed (docs/security.md, "Behind a proxy").</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();
}
