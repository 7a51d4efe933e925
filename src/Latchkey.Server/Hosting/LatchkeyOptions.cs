namespace Latchkey.Server.Hosting;

/// <summary>
/// Every server setting, bound from the configuration section <c>Latchkey</c> (<c>--Latchkey:Tokens:IdentityTokenLifetime
/// 01:00:00</c>, <c>Latchkey__Sessions__Lifetime=3.00:00:00</c>, <c>appsettings.json</c>) and checked at start by
/// <see cref="LatchkeyOptionsValidator"/>. One class per surface; the defaults written here are the product's defaults
/// (Auth0's where Auth0 has one) and <c>docs/configuration.md</c> lists each key (a test keeps them in step). Tenant data
/// (APIs, Applications, their token lifetimes) is not a setting: it lives in the tenant file and the Management API.
/// </summary>
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

    /// <summary>The first tenant administrator, created on a database that has none.</summary>
    public BootstrapOptions Bootstrap { get; set; } = new();

    /// <summary>Reverse proxies whose forwarded headers are believed (docs/security.md, "Behind a proxy").</summary>
    public ForwardedHeadersSettings ForwardedHeaders { get; set; } = new();

    /// <summary>Lifetimes of what the protocol endpoints issue.</summary>
    public TokenOptions Tokens { get; set; } = new();

    /// <summary>The login session (the cookie <c>/authorize</c> reads).</summary>
    public SessionOptions Sessions { get; set; } = new();

    /// <summary>How user passwords are stored.</summary>
    public PasswordOptions Passwords { get; set; } = new();

    /// <summary>Brute-force protection and throttling of the login and sign-up pages.</summary>
    public LoginOptions Login { get; set; } = new();

    /// <summary>Limits of the Management API (<c>/api/v2</c>).</summary>
    public ManagementOptions Management { get; set; } = new();

    /// <summary>Request-rate limits of <c>/oauth/token</c>, the login pages and <c>/dbconnections</c>.</summary>
    public RateLimitOptions RateLimits { get; set; } = new();

    /// <summary>Signing-key rotation schedule.</summary>
    public KeyOptions Keys { get; set; } = new();

    /// <summary>Limits of the Actions sandbox (post-login and credentials-exchange JavaScript).</summary>
    public ActionOptions Actions { get; set; } = new();

    /// <summary>The tenant log: retention and the write queue.</summary>
    public LogOptions Logs { get; set; } = new();

    /// <summary>Mail: SMTP, the development mail folder, templates, link lifetimes.</summary>
    public EmailOptions Email { get; set; } = new();

    /// <summary>Database provider and migrations.</summary>
    public DatabaseOptions Database { get; set; } = new();

    /// <summary>Metrics export (Prometheus).</summary>
    public TelemetryOptions Telemetry { get; set; } = new();
}
