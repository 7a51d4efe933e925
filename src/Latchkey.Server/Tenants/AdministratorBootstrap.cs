using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Latchkey.Server.Hosting;
using Latchkey.Server.Persistence;
using Latchkey.Server.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tenants;

/// <summary>
/// <c>--Latchkey:Bootstrap:AdminEmail</c>: creates the first tenant administrator (role
/// <see cref="DashboardDefinition.AdministratorRole"/>) of a production database, through the tenant importer like any
/// user of a tenant file. The password comes from the environment variable <c>Latchkey:Bootstrap:AdminPasswordVariable</c>
/// names, or is generated and printed once to standard output (never to the logs). A user with that email already
/// existing means the bootstrap has happened: nothing is changed, so leaving the setting in place is harmless.
/// </summary>
internal sealed class AdministratorBootstrap(LatchkeyDbContext db, TenantImporter importer, IOptions<LatchkeyOptions> options, ILogger<AdministratorBootstrap> logger)
{
    /// <summary>Creates the administrator when asked to and absent; returns whether it did.</summary>
    public async Task<bool> RunAsync(TextWriter output, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.Bootstrap;
        if (string.IsNullOrEmpty(settings.AdminEmail))
        {
            return false;
        }

        var normalized = EmailAddress.Normalize(settings.AdminEmail);
        if (await db.Set<User>().AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            return false;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(settings.AdminPasswordVariable);
        var password = string.IsNullOrEmpty(fromEnvironment)
            ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_')
            : fromEnvironment;
        var file = new JsonObject
        {
            ["users"] = new JsonArray(new JsonObject
            {
                ["email"] = settings.AdminEmail,
                ["email_verified"] = true,
                ["name"] = DashboardDefinition.AdministratorRole,
                ["password"] = password,
                ["roles"] = new JsonArray(DashboardDefinition.AdministratorRole),
            }),
        };
        await importer.ApplyAsync(TenantFileReader.Parse(file.ToJsonString(), "bootstrap"), "bootstrap", cancellationToken);
        logger.LogInformation("Created the first tenant administrator {Email} (Latchkey:Bootstrap:AdminEmail)", settings.AdminEmail);
        if (string.IsNullOrEmpty(fromEnvironment))
        {
            await output.WriteLineAsync($"""

                Latchkey: first tenant administrator created, shown once, save it now
                  Dashboard  {DashboardDefinition.UrlFor(options.Value.Issuer!)}
                  Email      {settings.AdminEmail}
                  Password   {password}

                """);
            await output.FlushAsync(cancellationToken);
        }

        return true;
    }
}
