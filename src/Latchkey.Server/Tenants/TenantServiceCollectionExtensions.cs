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
        services.AddScoped<DevTenantSeeder>();
        return services;
    }

    /// <summary>
    /// Registers the Management API, then applies <c>Latchkey:Import</c> if given, else seeds the development tenant
    /// into an empty database. A bad tenant file throws <see cref="TenantFileException"/> with nothing written.
    /// </summary>
    public static async Task InitializeTenantAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<LatchkeyOptions>>().Value;
        var importer = scope.ServiceProvider.GetRequiredService<TenantImporter>();
        await importer.EnsureManagementApiAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(options.Import))
        {
            await importer.ImportFileAsync(options.Import, cancellationToken);
        }
        else if (options.SeedDevelopmentTenant)
        {
            await scope.ServiceProvider.GetRequiredService<DevTenantSeeder>().SeedIfEmptyAsync(Console.Out, cancellationToken);
        }
    }
}
