using Latchkey.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Latchkey.Server.Tenants;

internal static class TenantServiceCollectionExtensions
{
    public static IServiceCollection AddLatchkeyTenants(this IServiceCollection services)
    {
        services.AddScoped<TenantWriter>();
        services.AddHostedService<TenantVersionWatcher>();
        services.AddScoped<TenantImporter>();
        services.AddScoped<TenantExporter>();
        services.AddScoped<DevTenantSeeder>();
        services.AddScoped<AdministratorBootstrap>();
        return services;
    }

    /// <summary>
    /// Registers the Management API and the dashboard's Application and role, then applies <c>Latchkey:Import</c> if given, else seeds the development tenant
    /// into an empty database, in Development or when <c>Latchkey:SeedDevelopmentTenant</c> asks for it, and says at
    /// start what it did not do. A bad tenant file throws <see cref="TenantFileException"/> with nothing written.
    /// </summary>
    public static async Task InitializeTenantAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<LatchkeyOptions>>().Value;
        var step = StartupTimeline.Now;
        scope.ServiceProvider.GetRequiredService<ClientSecretHasher>().Initialize();
        step = StartupTimeline.Mark(scope.ServiceProvider, "tenant: client secret key (Data Protection key ring)", step);
        var importer = scope.ServiceProvider.GetRequiredService<TenantImporter>();
        var written = await importer.EnsureManagementApiAsync(cancellationToken);
        step = StartupTimeline.Mark(scope.ServiceProvider, written ? "tenant: built-in Management API and dashboard (written)" : "tenant: built-in Management API and dashboard (unchanged)", step);
        if (!string.IsNullOrWhiteSpace(options.Import))
        {
            var applied = await importer.ImportFileAsync(options.Import, cancellationToken);
            StartupTimeline.Mark(scope.ServiceProvider, applied ? "tenant: import (applied)" : "tenant: import (unchanged, skipped)", step);
        }
        else
        {
            var environment = scope.ServiceProvider.GetRequiredService<IHostEnvironment>();
            var seeder = scope.ServiceProvider.GetRequiredService<DevTenantSeeder>();
            var logger = scope.ServiceProvider.GetRequiredService<ILogger<DevTenantSeeder>>();
            if (options.SeedDevelopmentTenant ?? environment.IsDevelopment())
            {
                if (await seeder.SeedIfEmptyAsync(Console.Out, cancellationToken) && !environment.IsDevelopment())
                {
                    logger.LogWarning(
                        "Seeded the development tenant in the {Environment} environment because Latchkey:SeedDevelopmentTenant is true; its M2M secret and demo password were printed to standard output. Do not use it in production.",
                        environment.EnvironmentName);
                }
            }
            else if (await seeder.IsEmptyAsync(cancellationToken))
            {
                logger.LogWarning(
                    "The database has no applications. The development tenant is seeded only in the Development environment (this is {Environment}) or with Latchkey:SeedDevelopmentTenant=true; import your tenant with Latchkey:Import.",
                    environment.EnvironmentName);
            }
        }

        await scope.ServiceProvider.GetRequiredService<AdministratorBootstrap>().RunAsync(Console.Out, cancellationToken);
    }
}
