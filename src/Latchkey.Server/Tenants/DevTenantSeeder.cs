using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tenants;

/// <summary>
/// Seeds the development tenant (<c>Tenants/dev-tenant.json</c>, embedded) into an empty database. The M2M secret
/// and the demo password are generated here, applied through the same importer as any tenant file, and printed
/// once to the console so a newcomer can log in. They are never logged.
/// </summary>
internal sealed class DevTenantSeeder(LatchkeyDbContext db, TenantImporter importer, IOptions<LatchkeyOptions> options)
{
    public const string ResourceName = "Latchkey.Server.dev-tenant.json";
    public const string M2MClientId = "samples-m2m";
    public const string DemoEmail = "demo@latchkey.local";
    public const string AdminEmail = "admin@latchkey.local";

    /// <summary>
    /// True when the database has no applications but the built-in dashboard's (nothing was imported or seeded yet).
    /// </summary>
    public async Task<bool> IsEmptyAsync(CancellationToken cancellationToken = default) =>
        !await db.Set<Application>().AnyAsync(a => a.ClientId != DashboardDefinition.ClientId, cancellationToken);

    /// <summary>Seeds when the database has no applications; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        if (!await IsEmptyAsync(cancellationToken))
        {
            return false;
        }

        var secret = Base64Url(RandomNumberGenerator.GetBytes(48));
        var password = Base64Url(RandomNumberGenerator.GetBytes(15));
        var adminPassword = Base64Url(RandomNumberGenerator.GetBytes(15));
        var tenant = JsonNode.Parse(ReadTemplate())!;
        foreach (var client in tenant["clients"]!.AsArray())
        {
            if ((string?)client!["client_id"] == M2MClientId)
            {
                client["client_secret"] = secret;
            }
        }

        foreach (var user in tenant["users"]!.AsArray())
        {
            if ((string?)user!["email"] == DemoEmail)
            {
                user["password"] = password;
            }
        }

        // The dashboard's administrator: the role is the built-in one (DashboardDefinition), written before this seed.
        tenant["users"]!.AsArray().Add(new JsonObject
        {
            ["email"] = AdminEmail,
            ["email_verified"] = true,
            ["name"] = "Tenant Administrator",
            ["password"] = adminPassword,
            ["roles"] = new JsonArray(DashboardDefinition.AdministratorRole),
        });
        var file = TenantFileReader.Parse(tenant.ToJsonString(), "dev-tenant.json");
        await importer.ApplyAsync(file, "dev-tenant.json", cancellationToken);
        await output.WriteAsync(Banner(options.Value.Issuer!, secret, password, adminPassword));
        await output.FlushAsync(cancellationToken);
        return true;
    }

    internal static string ReadTemplate()
    {
        using var stream = typeof(DevTenantSeeder).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Embedded resource {ResourceName} is missing from the build.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Banner(Uri issuer, string secret, string password, string adminPassword)
    {
        var rows = new (string Label, string Value)[]
        {
            ("Issuer (SDK domain)", issuer.AbsoluteUri),
            ("API audience", "https://quickstarts/api  (read:messages, write:messages)"),
            ("Management API", ManagementApiDefinition.IdentifierFor(issuer)),
            ("SPA client_id", "samples-spa  (http://localhost:3000, :4200)"),
            ("auth0-js client_id", "samples-legacy"),
            ("M2M client_id", M2MClientId),
            ("M2M client_secret", secret),
            ("Demo user", DemoEmail),
            ("Demo password", password),
            ("Dashboard", DashboardDefinition.UrlFor(issuer)),
            ("Admin user", AdminEmail),
            ("Admin password", adminPassword),
        };
        const string title = "Latchkey development tenant: shown once, save it now";
        var labelWidth = rows.Max(r => r.Label.Length);
        var width = Math.Max(title.Length, rows.Max(r => labelWidth + 2 + r.Value.Length));
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"┌─{new string('─', width)}─┐");
        text.AppendLine(CultureInfo.InvariantCulture, $"│ {title.PadRight(width)} │");
        text.AppendLine(CultureInfo.InvariantCulture, $"├─{new string('─', width)}─┤");
        foreach (var (label, value) in rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"│ {(label.PadRight(labelWidth) + "  " + value).PadRight(width)} │");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"└─{new string('─', width)}─┘");
        text.AppendLine("Get a machine-to-machine token:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  curl -s {issuer.AbsoluteUri}oauth/token -H 'content-type: application/json' \\");
        text.AppendLine(CultureInfo.InvariantCulture, $"    -d '{{\"grant_type\":\"client_credentials\",\"client_id\":\"{M2MClientId}\",\"client_secret\":\"{secret}\",\"audience\":\"https://quickstarts/api\"}}'");
        text.AppendLine();
        return text.ToString();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
